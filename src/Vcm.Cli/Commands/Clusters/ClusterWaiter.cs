using Vcm.Api;
using Vcm.Cli.Infrastructure;
using Vcm.Domain.Clusters;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>Follows a cluster until it reaches a phase, showing its progress on standard error.</summary>
public static class ClusterWaiter
{
    public static async Task<ClusterView> WaitForAsync(
        VcmClient client, string name, string phase, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var live = !Console.IsErrorRedirected;
        string? last = null;
        try
        {
            while (true)
            {
                var view = await client.GetClusterAsync(name, nodes: false, limit.Token);
                var line = $"{view.Name}: {view.Phase}, {view.NodesReady}/{view.NodesTotal} nodes up" + (view.Reason is { } r ? $" — {r}" : "");
                if (line != last)
                {
                    if (live)
                    {
                        Console.Error.Write("\r\u001b[2K" + (line.Length > 160 ? line[..157] + "..." : line));
                    }
                    else
                    {
                        Console.Error.WriteLine(line);
                    }

                    last = line;
                }

                if (view.Phase == phase)
                {
                    if (live)
                    {
                        Console.Error.WriteLine();
                    }

                    return view;
                }

                if (view.Phase is nameof(ClusterPhase.Failed) or nameof(ClusterPhase.Rejected) or nameof(ClusterPhase.Released))
                {
                    if (live)
                    {
                        Console.Error.WriteLine();
                    }

                    throw new CliException($"Cluster {view.Name} is {view.Phase}, not {phase}: {view.Reason}", ExitCodes.WaitFailed);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(300), limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (live)
            {
                Console.Error.WriteLine();
            }

            throw new CliException($"Cluster {name} did not become {phase} within {timeout.TotalMinutes:0.#} minutes", ExitCodes.WaitFailed);
        }
    }
}
