using Vcm.Drivers.Processes;

namespace Vcm.Testing.Lab;

/// <summary>
/// The sending side of a lab management link shaped with tc tbf: a host namespace's link, or the root side (the
/// manager and its image store). Disposing removes the qdisc.
/// </summary>
public sealed class ShapedLink : IAsyncDisposable
{
    private readonly string[] _netns;
    private readonly string _device;

    private ShapedLink(string[] netns, string device)
    {
        _netns = netns;
        _device = device;
    }

    /// <summary>Shapes the link of <paramref name="namespaceName"/> (null: the root namespace) that holds a lab management address, to <paramref name="rate"/> (tc's syntax, e.g. "200mbit").</summary>
    public static async Task<ShapedLink> ShapeAsync(string? namespaceName, string rate, CancellationToken cancellationToken)
    {
        string[] netns = namespaceName is null ? [] : ["-n", namespaceName];
        var addresses = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", [.. netns, "-o", "-4", "addr", "show"]), cancellationToken);
        var device = addresses.EnsureSuccess().StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .First(f => f.Length > 3 && f[3].StartsWith("192.168.25", StringComparison.Ordinal))[1].TrimEnd(':').Split('@')[0];
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("tc", [.. netns, "qdisc", "replace", "dev", device, "root", "tbf", "rate", rate, "burst", "256kb", "latency", "50ms"]), cancellationToken)).EnsureSuccess();
        return new ShapedLink(netns, device);
    }

    public async ValueTask DisposeAsync() =>
        await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("tc", [.. _netns, "qdisc", "del", "dev", _device, "root"]), CancellationToken.None);
}
