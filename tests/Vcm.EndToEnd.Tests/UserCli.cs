using System.Text.Json;
using Vcm.Api;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>The CLI as a user of its own: no admin token file, no VCM_SERVER or VCM_TOKEN, its config file under <paramref name="home"/>.</summary>
public sealed class UserCli(string home)
{
    public string ConfigFile => Path.Combine(home, "config", "vcm.json");

    /// <summary>The environment the user's CLI runs in (for a long-running <see cref="VcmProcess"/> too).</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["VCM_CONFIG"] = ConfigFile,
        ["VCM_DATA"] = Path.Combine(home, "no-data"),
        ["VCM_SERVER"] = null,
        ["VCM_TOKEN"] = null,
        ["VCM_HOME"] = null,
        ["DISPLAY"] = null, // no browser is opened: the test plays it
        ["WAYLAND_DISPLAY"] = null,
    };

    public Task<ProcessResult> RunAsync(string? stdin, params string[] args) =>
        ProcessRunner.Instance.RunAsync(
            new ProcessSpec(RepoPaths.Cli, args)
            {
                Environment = Environment,
                StandardInput = stdin,
                Timeout = TimeSpan.FromMinutes(1),
            },
            CancellationToken.None);

    public async Task<T> JsonAsync<T>(params string[] args)
    {
        var result = await RunAsync(null, [.. args, "--output", "json"]);
        Assert.True(result.ExitCode == 0, $"vcm {string.Join(' ', args)} exited {result.ExitCode}: {result.StandardError}");
        return JsonSerializer.Deserialize<T>(result.StandardOutput, ApiJson.Options)!;
    }
}
