using System.Globalization;
using Vcm.Api;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// `vcm up --lab 2x2 [--wan RATE]` in a folder of its own: sites a (a1, a2) and b (b1, b2), each with its manager,
/// peered, their gateway hosts a1 and b1 joined by the WAN veth (172.16.0.1 in vcl-a1 ↔ 172.16.0.2 in vcl-b1).
/// Disposing stops it (SIGTERM releases every cluster and removes the lab); `vcm down` takes over if that left the lab.
/// </summary>
internal sealed class TwoSiteLab : IAsyncDisposable
{
    public const string WanAddressA = "172.16.0.1";
    public const string WanAddressB = "172.16.0.2";

    private readonly TempDirectory _data;
    private readonly VcmCli _cli;
    private readonly VcmProcess _up;

    private TwoSiteLab(TempDirectory data, VcmCli cli, VcmProcess up)
    {
        _data = data;
        _cli = cli;
        _up = up;
        SiteA = VcmClient.Create(cli.Server, File.ReadAllText(data.Combine("admin.token")).Trim());
        var siteB = $"http://127.0.0.1:{(new Uri(cli.Server).Port + 1).ToString(CultureInfo.InvariantCulture)}";
        SiteB = VcmClient.Create(siteB, File.ReadAllText(data.Combine("lab", "site-b", "admin.token")).Trim());
    }

    /// <summary>Site a's manager, where clusters are created.</summary>
    public VcmClient SiteA { get; }

    /// <summary>Site b's manager, which builds site b's parts (named NAME@a).</summary>
    public VcmClient SiteB { get; }

    /// <summary>
    /// Starts the lab, with the WAN shaped to <paramref name="wanRate"/> (like "100M") or unshaped when null, and
    /// <paramref name="wanPaths"/> WAN links between the gateway hosts.
    /// </summary>
    public static async Task<TwoSiteLab> StartAsync(string? wanRate, int wanPaths = 1)
    {
        var data = new TempDirectory("vcm-bench-fed");
        var cli = new VcmCli($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}", data.Path);
        var images = Path.Combine(RepoPaths.Root, "artifacts", "test-images");
        string[] wan = [.. wanRate is null ? [] : new[] { "--wan", wanRate }, .. wanPaths == 1 ? [] : new[] { "--wan-paths", wanPaths.ToString(CultureInfo.InvariantCulture) }];
        var up = VcmProcess.Start(cli.Environment, ["up", "--lab", "2x2", "--data", data.Path, "--listen", cli.Server, "--images", images, .. wan]);
        try
        {
            await up.WaitForLineAsync("Ctrl-C releases every cluster", TimeSpan.FromMinutes(15));
            return new TwoSiteLab(data, cli, up);
        }
        catch
        {
            await StopAsync(data, cli, up);
            throw;
        }
    }

    /// <summary>The data folder of a lab host's agent (its VPN ends are under vpns/).</summary>
    public string HostData(string host) => _data.Combine("lab", "hosts", host);

    public ValueTask DisposeAsync() => new(StopAsync(_data, _cli, _up));

    private static async Task StopAsync(TempDirectory data, VcmCli cli, VcmProcess up)
    {
        await up.DisposeAsync();
        if (File.Exists(data.Combine("lab", "lab.json")))
        {
            await cli.RunAsync("down", "--data", data.Path);
        }

        data.Dispose();
    }
}
