using System.Buffers.Binary;

namespace Vcm.Domain.Clusters;

/// <summary>Checks an OpenSSH public key line: <c>TYPE BASE64 [comment]</c>, with the type repeated inside the blob.</summary>
public static class SshPublicKey
{
    private static readonly HashSet<string> Types =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ];

    /// <summary>
    /// Trims and checks a list of keys (at most <see cref="SpecLimits.MaxSshKeys"/>), adding a problem for each bad one
    /// under <paramref name="field"/>[i]; the keys as given, trimmed.
    /// </summary>
    public static IReadOnlyList<string> ParseAll(IReadOnlyList<string>? keys, string field, List<Common.Problem> problems)
    {
        if (keys is null)
        {
            return [];
        }

        if (keys.Count > SpecLimits.MaxSshKeys)
        {
            problems.Add(new Common.Problem(field, $"lists {keys.Count} keys; at most {SpecLimits.MaxSshKeys} are allowed"));
            return [];
        }

        var result = new List<string>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var key = (keys[i] ?? "").Trim();
            if (!TryValidate(key, out var error))
            {
                problems.Add(new Common.Problem($"{field}[{i}]", error));
            }

            result.Add(key);
        }

        return result;
    }

    public static bool TryValidate(string line, out string error)
    {
        error = "";
        if (line.Length > SpecLimits.MaxSshKeyLength)
        {
            error = $"is {line.Length} characters long; at most {SpecLimits.MaxSshKeyLength} are allowed";
            return false;
        }

        if (line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal))
        {
            error = "holds a line break; give one key per entry";
            return false;
        }

        var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !Types.Contains(parts[0]))
        {
            error = "is not an OpenSSH public key (ssh-ed25519, ssh-rsa or ecdsa-sha2-… followed by the key)";
            return false;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            error = $"has {parts[0]} key data that is not base64";
            return false;
        }

        if (blob.Length < 4)
        {
            error = $"has {parts[0]} key data that is too short";
            return false;
        }

        var typeLength = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (typeLength > blob.Length - 4 || System.Text.Encoding.ASCII.GetString(blob, 4, (int)typeLength) != parts[0])
        {
            error = $"has key data that does not hold a {parts[0]} key";
            return false;
        }

        return true;
    }
}
