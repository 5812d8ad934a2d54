using Vcm.Drivers.Network;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>A VPN end's spec for tests that never start it: PEM-shaped stand-ins for the keys.</summary>
internal static class SampleVpn
{
    public static readonly VpnSpec Spec = new()
    {
        Name = "vc-0123456789ab-b",
        Bridge = "vcb100",
        Server = true,
        Local = "172.16.0.1",
        Remote = "172.16.0.2",
        Port = 1194,
        RemotePort = 1195,
        CaCertificate = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n",
        Certificate = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n",
        PrivateKey = "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n",
        TlsCryptKey = "-----BEGIN OpenVPN Static key V1-----\nx\n-----END OpenVPN Static key V1-----\n",
    };
}
