using System.Globalization;
using Vcm.Testing;

namespace Vcm.Lab.Tests;

/// <summary>
/// `vcm up --lab 2x2 --wan 1G`: sites a (a1, a2) and b (b1, b2), each with its own manager and database, peered
/// automatically, their gateway hosts joined by a shaped WAN link. <see cref="LabFixture.Cli"/> talks to site a;
/// <see cref="SiteB"/> to site b's manager on the next port. The tests read two clusters across both sites, both on
/// <see cref="Subnet"/>: x1 (head + 3 workers, a:2,b:2) and x2 (head + 4 workers, a:2,b:3).
/// </summary>
public sealed class TwoSiteLabFixture : LabFixture
{
    public const string Subnet = "10.78.0.0/24";

    public TwoSiteLabFixture()
        : base("2x2", ["a1", "a2", "b1", "b2"], "--wan", "1G")
    {
    }

    public VcmCli SiteB
    {
        get
        {
            var port = new Uri(Cli.Server).Port + 1;
            return new VcmCli($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", Path.Combine(DataDirectory, "lab", "site-b"));
        }
    }

    /// <summary>Where site a's manager is on the lab's management network (HTTPS): what its agents and site b reach.</summary>
    public string SiteAMgmtUrl => $"https://192.168.254.1:{new Uri(Cli.Server).Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Where site b's manager is on its management network (HTTPS): what its agents and site a reach.</summary>
    public string SiteBMgmtUrl => $"https://192.168.253.1:{new Uri(SiteB.Server).Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The PID of site b's manager process (the lab runs it as a child).</summary>
    public int SiteBManagerPid => int.Parse(File.ReadAllText(Path.Combine(DataDirectory, "lab", "site-b", "manager.pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Site b's manager's log (the lab runs it detached, its output appended here).</summary>
    public string SiteBLogFile => Path.Combine(DataDirectory, "lab", "site-b", "manager.log");

    /// <summary>The lines of site b's manager's log that hold the text.</summary>
    public IReadOnlyList<string> SiteBLogLines(string text) =>
        File.Exists(SiteBLogFile) ? File.ReadAllLines(SiteBLogFile).Where(l => l.Contains(text, StringComparison.Ordinal)).ToList() : [];

    /// <summary>Waits until site b's manager's log holds more than <paramref name="seen"/> lines with the text; returns the newest.</summary>
    public async Task<string> WaitForSiteBLogAsync(string text, int seen, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (SiteBLogLines(text) is var lines && lines.Count <= seen)
        {
            if (DateTime.UtcNow > deadline)
            {
                var tail = File.Exists(SiteBLogFile) ? File.ReadAllLines(SiteBLogFile).TakeLast(30) : [];
                throw new TimeoutException($"site b's manager did not log '{text}' within {within.TotalSeconds:0} s; its log ends:\n{string.Join('\n', tail)}");
            }

            await Task.Delay(200);
        }

        return SiteBLogLines(text)[^1];
    }

    /// <summary>
    /// A smaller x1 for a test that needs a cluster of its own: the head at site a, a worker at site b, on the subnet
    /// x1 and x2 use; packed as x1 is, it makes the same kinds of things at both sites (VPN ends, part, segments).
    /// </summary>
    public static readonly string[] LikeX1 = ["--workers", "1", "--sites", "a:1,b:1", "--subnet", Subnet];

    protected override async Task CreateSharedClustersAsync()
    {
        await CreateAsync("x1", "--workers", "3", "--sites", "a:2,b:2", "--subnet", Subnet);
        await CreateAsync("x2", "--workers", "4", "--sites", "a:2,b:3", "--subnet", Subnet);
    }
}
