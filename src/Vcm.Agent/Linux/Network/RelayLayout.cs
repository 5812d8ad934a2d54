namespace Vcm.Agent.Linux.Network;

/// <summary>
/// Where a migration relay end's pieces are, all derived from its name ("vcmr…", see
/// <see cref="Vcm.Drivers.Network.MigrationRelaySpec.For"/>): its namespace and the host-side end of its veth carry the
/// name, the end inside is <see cref="InnerLink"/>; its files are in <see cref="HostPaths.Relay"/>: per channel
/// (memory, disk) socat's PID file, log (whose path is also the marker in socat's command line) and applied arguments,
/// and for a sending end the unix socket the source's QEMU connects to.
/// </summary>
internal sealed record RelayLayout(string Name, string Directory)
{
    /// <summary>Every relay end's name starts with this: how a wipe finds them.</summary>
    public const string Prefix = "vcmr";

    public const string InnerLink = "seg0";

    public const string Memory = "memory";

    public const string Disk = "disk";

    public static readonly IReadOnlyList<string> Channels = [Memory, Disk];

    public static RelayLayout Of(LinuxHostContext context, string name) => new(name, context.Paths.Relay(name));

    /// <summary>A sending end's socket of <paramref name="channel"/>: memory.sock or disk.sock.</summary>
    public string Socket(string channel) => File(channel, ".sock");

    public string Pid(string channel) => File(channel, ".pid");

    public string Log(string channel) => File(channel, ".log");

    /// <summary>The arguments the running socat of <paramref name="channel"/> was started with.</summary>
    public string Applied(string channel) => File(channel, ".applied");

    private string File(string channel, string extension) => Path.Combine(Directory, channel + extension);
}
