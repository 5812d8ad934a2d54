using System.Security.Cryptography;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

/// <summary>Per-node metadata tokens, SSH host keys and SSH ports.</summary>
public static class NodeSecrets
{
    public const int FirstSshPort = 22000;
    public const int MaxSshPorts = 40000;

    /// <summary>A random secret the node presents to its gateway's metadata service (docs/guest-protocol.md).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Gives a node being admitted its SSH host key, made now and once (docs/guest-protocol.md, "The node's host key"):
    /// stored with the node in the admission's transaction, so no restart makes a second one.
    /// </summary>
    public static NodeRecord WithHostKey(this NodeRecord node, string cluster)
    {
        var key = Ssh.NodeHostKeys.Create($"root@{node.Name}.{cluster}");
        node.HostKeyPrivate = key.PrivateKey;
        node.HostKey = key.PublicLine;
        node.HostKeyFingerprint = key.Fingerprint;
        return node;
    }

    /// <summary>The port on the gateway's external address forwarding to node <paramref name="index"/>'s SSH; null past the range.</summary>
    public static int? SshPort(int index) => index < MaxSshPorts ? FirstSshPort + index : null;
}
