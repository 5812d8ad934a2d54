using System.Globalization;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>`vcm up --lab 1x3` (or another shape) for a benchmark, on a free loopback port, with the test images' store.</summary>
public static class BenchLab
{
    public static string Images => Path.Combine(RepoPaths.Root, "artifacts", "test-images");

    public static async Task<(VcmCli Cli, VcmProcess Up)> StartAsync(TempDirectory data, string shape = "1x3")
    {
        var cli = new VcmCli($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}", data.Combine("site"));
        var up = VcmProcess.Start(cli.Environment, "up", "--lab", shape, "--data", cli.DataDirectory, "--listen", cli.Server, "--images", Images);
        try
        {
            await up.WaitForLineAsync("Ctrl-C releases every cluster", TimeSpan.FromMinutes(15));
            return (cli, up);
        }
        catch
        {
            await up.DisposeAsync();
            throw;
        }
    }
}
