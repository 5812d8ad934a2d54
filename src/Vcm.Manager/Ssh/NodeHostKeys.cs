using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Vcm.Drivers.Network;

namespace Vcm.Manager.Ssh;

/// <summary>
/// Makes a node's SSH host key (ed25519) once, when the node is admitted, so that the node keeps it wherever it is
/// built again: the store keeps the private half encrypted (nodes.host_key_private), the gateway hands it to that
/// node only, and `vcm ssh` pins the public half before the node first boots.
/// </summary>
public static class NodeHostKeys
{
    private static readonly SecureRandom Random = new();

    public static SshHostKey Create(string comment)
    {
        var key = new Ed25519PrivateKeyParameters(Random);
        return SshHostKey.Of(key.GetEncoded(), key.GeneratePublicKey().GetEncoded(), comment);
    }
}
