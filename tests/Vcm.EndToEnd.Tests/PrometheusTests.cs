using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>
/// A real Prometheus (Debian's package, installed by ./test) scrapes `vcm up --sim`'s /metrics with the provider's
/// token: it sees the manager up, a Ready cluster, and its nodes' memory as the agent's heartbeats report it; and
/// `promtool check metrics` finds nothing wrong with the exposition.
/// </summary>
public sealed class PrometheusTests(UpFixture fixture) : IClassFixture<UpFixture>, IDisposable
{
    private readonly VcmCli _cli = fixture.Cli;
    private readonly TempDirectory _dir = new("vcm-e2e-prometheus");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ARealPrometheus_ScrapesTheManager_AndPromtoolFindsNothingWrong()
    {
        await _cli.RunAsync("cluster", "create", "prom", "--workers", "1", "--memory", "1G");
        await _cli.WaitForPhaseAsync("prom", "Ready");
        var tokenFile = Path.Combine(_cli.DataDirectory, "admin.token");
        using var http = new HttpClient { BaseAddress = new Uri(_cli.Server) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(tokenFile)).Trim());
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var lint = await ProcessRunner.Instance.RunAsync(
            new ProcessSpec("promtool", ["check", "metrics"]) { StandardInput = text }, CancellationToken.None);

        Assert.True(lint.ExitCode == 0, $"promtool check metrics: {lint.StandardOutput}{lint.StandardError}");

        var port = FreePort.Next();
        var server = new Uri(_cli.Server);
        var config = _dir.Combine("prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: vcm
                metrics_path: /metrics
                authorization:
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ["{server.Host}:{server.Port}"]
            """);
        using var prometheus = Process.Start(new ProcessStartInfo("prometheus")
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={_dir.Combine("data")}", $"--web.listen-address=127.0.0.1:{port}",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var log = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var up = await QueryUntilAsync(api, "up{job=\"vcm\"}", r => r.Count == 1 && r[0].Value == 1, log);
            var ready = await QueryUntilAsync(api, "vcm_clusters{phase=\"Ready\"}", r => r.Count == 1 && r[0].Value >= 1, log);
            var memory = await QueryUntilAsync(api, "vcm_node_memory_bytes{cluster=\"prom\"}", r => r.Count == 2, log);

            Assert.Equal(1, up[0].Value);
            Assert.True(ready[0].Value >= 1);
            Assert.Equal(["head", "node-01"], memory.Select(m => m.Labels["node"]).Order(StringComparer.Ordinal));
            Assert.All(memory, m => Assert.Equal(1024d * 1024 * 1024, m.Value));
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }
    }

    private sealed record Sample(IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Asks Prometheus's query API until the answer satisfies <paramref name="done"/> (scrapes come every second), at most a minute.</summary>
    private static async Task<IReadOnlyList<Sample>> QueryUntilAsync(HttpClient api, string query, Func<IReadOnlyList<Sample>, bool> done, System.Text.StringBuilder log)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        var last = "";
        while (true)
        {
            try
            {
                last = await api.GetStringAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative));
                using var json = JsonDocument.Parse(last);
                var samples = json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
                    .Select(r => new Sample(
                        r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                        double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
                    .ToList();
                if (done(samples))
                {
                    return samples;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message; // not listening yet
            }

            if (DateTime.UtcNow > deadline)
            {
                lock (log)
                {
                    throw new TimeoutException($"Prometheus never answered {query} as expected; last answer: {last}\nits log:\n{log}");
                }
            }

            await Task.Delay(250);
        }
    }
}
