namespace Vcm.Manager.Peers;

/// <summary>A call to a peer's manager failed: it did not answer, refused our key, or said no (with its reason).</summary>
public sealed class PeerCallException(string site, PeerFailure failure, string message, int? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string Site { get; } = site;

    public PeerFailure Failure { get; } = failure;

    public int? Status { get; } = status;

    /// <summary>The request surely never reached the peer (no connection was made), so it cannot have acted on it.</summary>
    public bool NotDelivered { get; init; }
}
