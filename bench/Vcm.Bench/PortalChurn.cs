using Vcm.Api;
using Vcm.Domain.Clusters;

namespace Vcm.Bench;

/// <summary>
/// The builds the watchers watch: one cluster of <paramref name="nodes"/> nodes created every second, each deleted
/// <see cref="Lifetime"/> ticks after it was made, on a fixed schedule so that every window does the same work.
/// </summary>
internal sealed class PortalChurn(VcmClient owner, int nodes)
{
    private const int Lifetime = 5;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>Runs for the window; returns the clusters it made (the last <see cref="Lifetime"/> not deleted yet).</summary>
    public async Task<IReadOnlyList<string>> RunAsync(string prefix, TimeSpan window, CancellationToken cancellationToken)
    {
        var made = new List<string>();
        var started = DateTime.UtcNow;
        for (var tick = 0; tick < (int)(window / Tick); tick++)
        {
            var due = started + (tick * Tick);
            if (due > DateTime.UtcNow)
            {
                await Task.Delay(due - DateTime.UtcNow, cancellationToken);
            }

            var name = $"{prefix}-{tick:000}";
            await owner.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = nodes - 1, Duration = "4h" }, cancellationToken);
            made.Add(name);
            if (tick >= Lifetime)
            {
                await owner.DeleteClusterAsync(made[tick - Lifetime], cancellationToken);
            }
        }

        var end = started + window;
        if (end > DateTime.UtcNow)
        {
            await Task.Delay(end - DateTime.UtcNow, cancellationToken);
        }

        return made;
    }

    /// <summary>Deletes what a window left and waits until everything it made is released.</summary>
    public async Task ReleaseAsync(IReadOnlyList<string> made, CancellationToken cancellationToken)
    {
        foreach (var name in made.Skip(Math.Max(0, made.Count - Lifetime)))
        {
            await owner.DeleteClusterAsync(name, cancellationToken);
        }

        await ClusterPolls.WaitAsync(owner, made, "Released");
    }
}
