using System.Globalization;
using Vcm.Drivers.Processes;

namespace Vcm.Bench;

/// <summary>An `iperf3 -s` bound to one address and port in a namespace, run as a daemon and stopped by its PID.</summary>
internal sealed class IperfServer : IAsyncDisposable
{
    private readonly DaemonSpec _spec;

    private IperfServer(DaemonSpec spec, string address, int port)
    {
        _spec = spec;
        Address = address;
        Port = port;
    }

    public string Address { get; }

    public int Port { get; }

    /// <summary>Starts the server; its PID file and log go to <paramref name="folder"/>.</summary>
    public static async Task<IperfServer> StartAsync(string netns, string address, int port, string folder, CancellationToken cancellationToken)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var name = $"iperf3-{netns}-{portText}";
        var spec = new DaemonSpec("iperf3", ["-s", "-B", address, "-p", portText], Path.Combine(folder, name + ".pid"), Path.Combine(folder, name + ".log"), $"iperf3 -s -B {address} -p {portText}")
        {
            Netns = netns,
        };
        await new Daemons(ProcessRunner.Instance).StartAsync(spec, cancellationToken);
        return new IperfServer(spec, address, port);
    }

    public async ValueTask DisposeAsync() =>
        await new Daemons(ProcessRunner.Instance).StopAsync(_spec.PidFile, _spec.Marker, TimeSpan.FromSeconds(5), CancellationToken.None);
}
