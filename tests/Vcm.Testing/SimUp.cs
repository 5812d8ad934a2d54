using System.Text.Json;
using Vcm.Api;

namespace Vcm.Testing;

/// <summary>
/// `vcm up --sim N` on a free loopback port, started by a test and ready when its simulated hosts have
/// joined; <c>simOptions</c> are more of `up`'s flags (--sim-cpus 7 …).
/// </summary>
public static class SimUp
{
    public static async Task<(VcmProcess Up, VcmCli Cli)> StartAsync(string dataDirectory, int hosts = 3, params string[] simOptions)
    {
        var server = $"http://127.0.0.1:{FreePort.Next()}";
        var cli = new VcmCli(server, dataDirectory);
        var up = VcmProcess.Start(cli.Environment, ["up", "--sim", hosts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", dataDirectory, "--listen", server, .. simOptions]);
        try
        {
            await up.WaitForLineAsync("agent: vcm agent:");
            await cli.WaitUntilUpAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var result = await cli.RunAsync("host", "list", "--output", "json");
                if (result.ExitCode == 0 && JsonSerializer.Deserialize<List<HostView>>(result.StandardOutput, ApiJson.Options)!.Count == hosts)
                {
                    return (up, cli);
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the agent's hosts never joined:\n{up.Log}");
                }

                await Task.Delay(200);
            }
        }
        catch
        {
            await up.DisposeAsync();
            throw;
        }
    }
}
