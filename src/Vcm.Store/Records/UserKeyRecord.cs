namespace Vcm.Store.Records;

/// <summary>An SSH public key a user registered; the clusters it creates carry it.</summary>
public sealed class UserKeyRecord
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public required string PublicKey { get; set; }

    /// <summary>SHA256:… as ssh-keygen -l prints it.</summary>
    public required string Fingerprint { get; set; }

    public long CreatedMs { get; set; }
}
