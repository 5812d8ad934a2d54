using System.Text.Json;
using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>One `vcm up --sim 3` process shared by the tests of a class (each test uses its own cluster names).</summary>
public sealed class UpFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("vcm-e2e-up");

    public VcmProcess Up { get; private set; } = null!;

    public VcmCli Cli { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = $"http://127.0.0.1:{FreePort.Next()}";
        Cli = new VcmCli(server, _data.Path);
        Up = VcmProcess.Start(Cli.Environment, "up", "--sim", "3", "--data", _data.Path, "--listen", server);
        await Up.WaitForLineAsync("agent: vcm agent:");
        await Cli.WaitUntilUpAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var result = await Cli.RunAsync("host", "list", "--output", "json");
            if (result.ExitCode == 0 && JsonSerializer.Deserialize<List<HostView>>(result.StandardOutput, ApiJson.Options)!.Count == 3)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the agent's hosts never joined:\n{Up.Log}");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        await Up.DisposeAsync();
        _data.Dispose();
    }
}
