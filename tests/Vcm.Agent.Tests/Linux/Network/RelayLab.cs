using System.Text.Json.Nodes;
using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Network;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// Two "hosts" (namespaces vct-TAG-h1, -h2), each with the cluster's bridge, the bridges joined by a veth (standing in
/// for VXLAN and the sites' VPN), each with its own Linux network driver; a migration's sending end is made on host 1
/// and its receiving end on host 2, in front of two <see cref="UnixEchoServer"/>s standing in for the receiver VM's
/// sockets. On dispose both ends are deleted through the drivers, then the servers, namespaces and files go.
/// </summary>
public sealed class RelayLab : IAsyncDisposable
{
    public const string Bridge = "vctrelaybr";

    private readonly List<UnixEchoServer> _servers = [];

    private RelayLab(NetnsLab lab, string h1, string h2)
    {
        Lab = lab;
        H1 = h1;
        H2 = h2;
        Context1 = lab.HostContext(h1, "192.0.2.1", "data1");
        Context2 = lab.HostContext(h2, "192.0.2.2", "data2");
        Driver1 = new LinuxNetworkDriver(Context1);
        Driver2 = new LinuxNetworkDriver(Context2);
        var receivers = Path.Combine(lab.Folder, "receiver");
        Directory.CreateDirectory(receivers);
        MemoryServer = Serve(Path.Combine(receivers, "incoming-memory.sock"), "memory=");
        DiskServer = Serve(Path.Combine(receivers, "incoming-disk.sock"), "disk=");
        var receiver = new IncomingVm("n1", h2, "unix:" + MemoryServer.Path, $"nbd+unix:///disk0?socket={DiskServer.Path}");
        Send = MigrationRelaySpec.For("migration-" + lab.Tag, "n1", Bridge, MigrationRelaySide.Send);
        Receive = MigrationRelaySpec.For("migration-" + lab.Tag, "n1", Bridge, MigrationRelaySide.Receive, receiver);
    }

    public NetnsLab Lab { get; }

    public string H1 { get; }

    public string H2 { get; }

    public LinuxHostContext Context1 { get; }

    public LinuxHostContext Context2 { get; }

    public LinuxNetworkDriver Driver1 { get; }

    public LinuxNetworkDriver Driver2 { get; }

    /// <summary>The receiver's memory socket (its replies start "memory=").</summary>
    public UnixEchoServer MemoryServer { get; }

    /// <summary>The receiver's disk socket (its replies start "disk=").</summary>
    public UnixEchoServer DiskServer { get; }

    /// <summary>The sending end, for host 1.</summary>
    public MigrationRelaySpec Send { get; }

    /// <summary>The receiving end, for host 2.</summary>
    public MigrationRelaySpec Receive { get; }

    public static async Task<RelayLab> CreateAsync()
    {
        var lab = new NetnsLab();
        RelayLab? relays = null;
        try
        {
            var h1 = await lab.AddNamespaceAsync("h1");
            var h2 = await lab.AddNamespaceAsync("h2");
            foreach (var ns in new[] { h1, h2 })
            {
                await NetnsLab.RunAsync("ip", "-n", ns, "link", "add", Bridge, "type", "bridge");
                await NetnsLab.RunAsync("ip", "-n", ns, "link", "set", Bridge, "up");
            }

            await NetnsLab.RunAsync("ip", "-n", h1, "link", "add", "join0", "type", "veth", "peer", "name", "join0", "netns", h2);
            foreach (var ns in new[] { h1, h2 })
            {
                await NetnsLab.RunAsync("ip", "-n", ns, "link", "set", "join0", "master", Bridge, "up");
            }

            relays = new RelayLab(lab, h1, h2);
            var made = relays;
            lab.OnDispose(async () =>
            {
                await made.Driver1.DeleteMigrationRelayAsync(made.Send.Name, CancellationToken.None);
                await made.Driver2.DeleteMigrationRelayAsync(made.Receive.Name, CancellationToken.None);
                foreach (var server in made._servers)
                {
                    await server.DisposeAsync();
                }

                made.Driver1.Dispose();
                made.Driver2.Dispose();
            });
            return relays;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Makes the receiving end on host 2, then the sending end on host 1; answers the sending end's answer.</summary>
    public async Task<IncomingVm> EnsureBothAsync()
    {
        await Driver2.EnsureMigrationRelayAsync(Receive, CancellationToken.None);
        return (await Driver1.EnsureMigrationRelayAsync(Send, CancellationToken.None)).Status;
    }

    /// <summary>The path of a unix-socket URI the sending end answered: "unix:PATH", or "nbd+unix:///EXPORT?socket=PATH".</summary>
    public static string SocketOf(string uri) =>
        uri.StartsWith("unix:", StringComparison.Ordinal) ? uri["unix:".Length..] : uri[(uri.IndexOf("?socket=", StringComparison.Ordinal) + "?socket=".Length)..];

    /// <summary>The PID in a relay end's PID file of <paramref name="channel"/> (memory, disk).</summary>
    public static int Pid(LinuxHostContext context, string relay, string channel) =>
        int.Parse(File.ReadAllText(Path.Combine(context.Paths.Relay(relay), channel + ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether the machine has a named namespace of that name.</summary>
    public static async Task<bool> NamespaceExistsAsync(string name)
    {
        var listed = await NetnsLab.RunAsync("ip", "-j", "netns", "list");
        return (JsonNode.Parse(string.IsNullOrWhiteSpace(listed.StandardOutput) ? "[]" : listed.StandardOutput) as JsonArray ?? [])
            .Any(n => n?["name"]?.GetValue<string>() == name);
    }

    /// <summary>The link's JSON in a namespace, or null when it has none of that name.</summary>
    public static async Task<JsonNode?> LinkAsync(string ns, string link)
    {
        var shown = await NetnsLab.TryAsync("ip", "-n", ns, "-j", "-d", "link", "show", "dev", link);
        return shown.Succeeded ? (JsonNode.Parse(shown.StandardOutput) as JsonArray)?[0] : null;
    }

    public ValueTask DisposeAsync() => Lab.DisposeAsync();

    private UnixEchoServer Serve(string path, string prefix)
    {
        var server = UnixEchoServer.Start(path, prefix);
        _servers.Add(server);
        return server;
    }
}
