using System.Security.Cryptography;

namespace Vcm.Manager.Admission;

/// <summary>Per-node metadata tokens and SSH ports.</summary>
public static class NodeSecrets
{
    public const int FirstSshPort = 22000;
    public const int MaxSshPorts = 40000;

    /// <summary>A random secret the node presents to its gateway's metadata service (docs/guest-protocol.md).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>The port on the gateway's external address forwarding to node <paramref name="index"/>'s SSH; null past the range.</summary>
    public static int? SshPort(int index) => index < MaxSshPorts ? FirstSshPort + index : null;
}
