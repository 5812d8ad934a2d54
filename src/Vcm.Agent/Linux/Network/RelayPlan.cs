using System.Net;
using System.Net.Sockets;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>What an end's spec comes to on this host: its channels and its answer. Checks the spec first (a bad one is terminal).</summary>
internal sealed record RelayPlan(string Local, IReadOnlyList<RelayChannel> Channels, IncomingVm Answer)
{
    /// <summary>A unix socket's path is at most 107 bytes (sun_path less its terminating zero).</summary>
    private const int MaxSocketPath = 107;

    private const string DefaultExport = "disk0";

    public static RelayPlan Of(MigrationRelaySpec spec, RelayLayout layout, string host)
    {
        CheckName(spec.Name);
        NetworkNames.CheckLink(spec.Bridge, "bridge");
        var local = Ipv6(spec.LocalAddress, $"local address of migration relay end {spec.Name}");
        var remote = Ipv6(spec.RemoteAddress, $"remote address of migration relay end {spec.Name}");
        if (local == remote)
        {
            throw Bad($"migration relay end {spec.Name} has the same local and remote address {local}");
        }

        foreach (var port in new[] { spec.MemoryPort, spec.DiskPort }.Where(p => p is < 1 or > 65535))
        {
            throw Bad($"migration relay end {spec.Name}'s port {port} is outside 1..65535");
        }

        if (spec.MemoryPort == spec.DiskPort)
        {
            throw Bad($"migration relay end {spec.Name} has the same port {spec.MemoryPort} for the memory and the disk");
        }

        var ports = new Dictionary<string, int>(StringComparer.Ordinal) { [RelayLayout.Memory] = spec.MemoryPort, [RelayLayout.Disk] = spec.DiskPort };
        if (spec.Side == MigrationRelaySide.Receive)
        {
            var receiver = spec.Receiver ?? throw Bad($"migration relay end {spec.Name} receives but names no receiver");
            var memory = SocketPath(receiver.MigrationUri, "unix:", "", "memory", spec.Name);
            var disk = SocketPath(receiver.DiskUri, "nbd+unix:///", "?socket=", "disk", spec.Name);
            var export = receiver.DiskUri["nbd+unix:///".Length..receiver.DiskUri.IndexOf('?', StringComparison.Ordinal)];
            var targets = new Dictionary<string, string>(StringComparer.Ordinal) { [RelayLayout.Memory] = memory, [RelayLayout.Disk] = disk };
            var channels = RelayLayout.Channels.Select(c => new RelayChannel(
                c,
                [$"TCP6-LISTEN:{ports[c]},bind=[{local}],reuseaddr,fork,range=[{remote}]/128", "UNIX-CONNECT:" + targets[c]],
                pid => SocketTable.Tcp6Listening(pid, local, ports[c]),
                $"[{local}]:{ports[c]}")).ToList();
            // the spec's own text of the address (valid however it is written), as any driver answers it
            return new RelayPlan(local, channels, new IncomingVm(
                spec.Vm, host, $"tcp:[{spec.LocalAddress}]:{spec.MemoryPort}", $"nbd:[{spec.LocalAddress}]:{spec.DiskPort}:exportname={export}"));
        }

        foreach (var channel in RelayLayout.Channels)
        {
            CheckSocket(layout.Socket(channel), spec.Name);
        }

        var sends = RelayLayout.Channels.Select(c => new RelayChannel(
            c,
            [$"UNIX-LISTEN:{layout.Socket(c)},fork,unlink-early", $"TCP6:[{remote}]:{ports[c]}"],
            pid => SocketTable.UnixListening(pid, layout.Socket(c)),
            layout.Socket(c))).ToList();
        return new RelayPlan(local, sends, new IncomingVm(
            spec.Vm, host, "unix:" + layout.Socket(RelayLayout.Memory), $"nbd+unix:///{DefaultExport}?socket={layout.Socket(RelayLayout.Disk)}"));
    }

    /// <summary>Relay end names are namespace, link (at most 15 characters) and folder names, and start with "vcmr".</summary>
    public static void CheckName(string name)
    {
        NetworkNames.CheckLink(name, "migration relay end");
        if (!name.StartsWith(RelayLayout.Prefix, StringComparison.Ordinal) || name.Length == RelayLayout.Prefix.Length)
        {
            throw Bad($"migration relay end name '{name}' must start with '{RelayLayout.Prefix}'");
        }
    }

    /// <summary>The path in <paramref name="uri"/> ("PREFIX…" + path, or "PREFIX…MARKER" + path), checked for socat.</summary>
    private static string SocketPath(string uri, string prefix, string marker, string what, string relay)
    {
        var at = marker.Length == 0 ? prefix.Length : uri.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        if (!uri.StartsWith(prefix, StringComparison.Ordinal) || at < prefix.Length + marker.Length)
        {
            throw Bad($"the receiver of migration relay end {relay} does not take its {what} on a unix socket ({uri}); prepare it with the listen address '{IncomingVm.UnixSockets}'");
        }

        var path = uri[at..];
        CheckSocket(path, relay);
        return path;
    }

    /// <summary>An absolute path of plain characters (socat's address syntax gives , : ! and others meanings), short enough for a unix socket.</summary>
    private static void CheckSocket(string path, string relay)
    {
        if (!path.StartsWith('/') || !path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or '@'))
        {
            throw Bad($"socket path '{path}' of migration relay end {relay} must be absolute and hold only A-Z a-z 0-9 / . _ - + @");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxSocketPath)
        {
            throw Bad($"socket path '{path}' of migration relay end {relay} is longer than a unix socket's {MaxSocketPath} bytes");
        }
    }

    private static string Ipv6(string text, string what) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 && !text.Contains('/', StringComparison.Ordinal) && address.ScopeId == 0
            ? address.ToString()
            : throw Bad($"{what} '{text}' is not an IPv6 address");

    private static DriverException Bad(string message) => new(message, terminal: true);
}
