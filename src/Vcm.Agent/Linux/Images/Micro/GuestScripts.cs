using System.Reflection;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>The micro guest's scripts, embedded in this assembly from Guest/*.sh.</summary>
public static class GuestScripts
{
    /// <summary>/init: modules, SSH server, NIC handling, serial console; the KVM probe.</summary>
    public static byte[] Init => Read("init.sh");

    /// <summary>/sbin/netup: DHCP, metadata and phone-home for one NIC.</summary>
    public static byte[] Netup => Read("netup.sh");

    /// <summary>/sbin/sshup: dropbear with the host key vcm made for the node (converted from OpenSSH's format) or one made at boot.</summary>
    public static byte[] Sshup => Read("sshup.sh");

    /// <summary>/usr/share/udhcpc/default.script: applies a DHCP lease.</summary>
    public static byte[] UdhcpcHook => Read("udhcpc.sh");

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Vcm.Agent.Micro.{name}")
            ?? throw new InvalidOperationException($"the embedded guest script {name} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
