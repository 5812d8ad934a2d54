using System.Diagnostics;
using Vcm.Manager.Metrics;

namespace Vcm.Manager.Agents;

/// <summary>Times every call to an agent, and counts the ones that got no answer or an error status, by call (apply, vms, reports, console).</summary>
internal sealed class AgentCallMeter(HttpMessageHandler inner, ManagerMetrics metrics) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = CallOf(request.RequestUri?.AbsolutePath ?? "");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                metrics.AgentErrors.WithLabels(call).Inc();
            }

            return response;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.AgentErrors.WithLabels(call).Inc();
            throw;
        }
        finally
        {
            metrics.AgentCalls.WithLabels(call).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The call a path is: the agent RPC's paths end in these words (host and VM names sit between).</summary>
    internal static string CallOf(string path) =>
        path.EndsWith("/apply", StringComparison.Ordinal) ? "apply"
        : path.EndsWith("/vms", StringComparison.Ordinal) ? "vms"
        : path.EndsWith("/reports", StringComparison.Ordinal) ? "reports"
        : path.EndsWith("/console", StringComparison.Ordinal) ? "console"
        : "other";
}
