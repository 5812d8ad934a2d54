using System.Security.Cryptography;
using System.Text;

namespace Vcm.Drivers.Rpc;

/// <summary>
/// The token an agent accepts from other hosts for reading its cached image files, and for nothing else: an HMAC of
/// a fixed label under the agent's key. The manager, which knows the key, hands it to the host that copies from this
/// agent; the key itself never leaves the manager.
/// </summary>
public static class ImageReadToken
{
    public static string For(string agentKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(agentKey), "vcm image read v1"u8));
}
