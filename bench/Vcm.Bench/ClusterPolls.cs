using Vcm.Api;

namespace Vcm.Bench;

/// <summary>Waiting for many clusters at once by polling the cluster list: one request per round, so polling does not load the manager.</summary>
internal static class ClusterPolls
{
    /// <summary>
    /// Polls every 50 ms until every named cluster (by name or id) is in the phase; a Failed or Rejected one throws.
    /// <paramref name="all"/> lists released clusters too (needed to see Released).
    /// </summary>
    public static async Task WaitAsync(VcmClient client, IReadOnlyList<string> namesOrIds, string phase, bool all = true)
    {
        var left = new HashSet<string>(namesOrIds);
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            foreach (var view in await client.ListClustersAsync(all, CancellationToken.None))
            {
                if (view.Phase is "Failed" or "Rejected" && (left.Contains(view.Name) || left.Contains(view.Id)))
                {
                    throw new InvalidOperationException($"{view.Name} is {view.Phase}: {view.Reason}");
                }

                if (view.Phase == phase)
                {
                    left.Remove(view.Name);
                    left.Remove(view.Id);
                }
            }

            if (left.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{left.Count} clusters never became {phase}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A duration as the control-plane tables print it: milliseconds below 10 s, else seconds.</summary>
    public static string Ms(TimeSpan span) => span.TotalSeconds >= 10 ? $"{span.TotalSeconds:N1} s" : $"{span.TotalMilliseconds:N0} ms";
}
