using System.Globalization;
using System.Text.Json;
using Vcm.Drivers.Processes;

namespace Vcm.Bench;

/// <summary>One TCP stream of `iperf3 -c … -t SECONDS -J` from a namespace to an <see cref="IperfServer"/>.</summary>
internal static class IperfClient
{
    public const int Seconds = 10;

    /// <summary>
    /// The rate the receiver saw, in Mbit/s (end.sum_received): client → server, or server → client with
    /// <paramref name="reverse"/> (-R). A server still busy with the previous test, or not yet listening, is retried.
    /// </summary>
    public static async Task<double> MbitAsync(string netns, IperfServer server, bool reverse, CancellationToken cancellationToken)
    {
        string[] args =
        [
            "netns", "exec", netns, "iperf3", "-c", server.Address, "-p", server.Port.ToString(CultureInfo.InvariantCulture),
            "-t", Seconds.ToString(CultureInfo.InvariantCulture), "-J", .. reverse ? new[] { "-R" } : [],
        ];
        for (var attempt = 1; ; attempt++)
        {
            var result = await ProcessRunner.Instance.RunAsync(new ProcessSpec("ip", args) { Timeout = TimeSpan.FromSeconds(Seconds + 30) }, cancellationToken);
            if (result.Succeeded)
            {
                using var json = JsonDocument.Parse(result.StandardOutput);
                return json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 1e6;
            }

            if (attempt == 3)
            {
                result.EnsureSuccess();
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }
}
