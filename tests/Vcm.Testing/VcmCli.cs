using System.Text.Json;
using Vcm.Api;
using Vcm.Drivers.Processes;

using Xunit;

namespace Vcm.Testing;

/// <summary>Runs `vcm` commands against one manager, as a user would.</summary>
public sealed class VcmCli(string server, string dataDirectory)
{
    public string Server { get; } = server;

    public string DataDirectory { get; } = dataDirectory;

    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["VCM_SERVER"] = Server,
        ["VCM_DATA"] = DataDirectory,
        ["VCM_TOKEN"] = null,
        ["VCM_HOME"] = null,
    };

    public Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.Instance.RunAsync(new ProcessSpec(RepoPaths.Cli, args) { Environment = Environment, Timeout = TimeSpan.FromMinutes(3) }, CancellationToken.None);

    /// <summary>Runs a command with --output json; it must succeed.</summary>
    public async Task<T> JsonAsync<T>(params string[] args)
    {
        var result = await RunAsync([.. args, "--output", "json"]);
        Assert.True(result.ExitCode == 0, $"vcm {string.Join(' ', args)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return JsonSerializer.Deserialize<T>(result.StandardOutput, ApiJson.Options)!;
    }

    public Task<ClusterView> ShowAsync(string name) => JsonAsync<ClusterView>("cluster", "show", name);

    /// <summary>Polls `cluster show` until the cluster is in the phase.</summary>
    public async Task<ClusterView> WaitForPhaseAsync(string name, string phase, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        ClusterView? view = null;
        while (DateTime.UtcNow < deadline)
        {
            var result = await RunAsync("cluster", "show", name, "--output", "json");
            if (result.ExitCode == 0)
            {
                view = JsonSerializer.Deserialize<ClusterView>(result.StandardOutput, ApiJson.Options)!;
                if (view.Phase == phase)
                {
                    return view;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"cluster {name} is {view?.Phase} ({view?.Reason}), not {phase}");
    }

    /// <summary>Waits until the manager answers; with the process that should be serving, fails early (with its output) if it exits.</summary>
    public async Task WaitUntilUpAsync(TimeSpan? within = null, VcmProcess? process = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(Server + "/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"the manager for {Server} exited:\n{process.Log}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no manager answered at {Server}{(process is null ? "" : ":\n" + process.Log)}");
    }
}
