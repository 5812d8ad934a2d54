using System.Globalization;
using Vcm.Testing;

namespace Vcm.Lab.Tests;

/// <summary>
/// `vcm up --lab 2x2 --wan 1G`: sites a (a1, a2) and b (b1, b2), each with its own manager and database, peered
/// automatically, their gateway hosts joined by a shaped WAN link. <see cref="LabFixture.Cli"/> talks to site a;
/// <see cref="SiteB"/> to site b's manager on the next port.
/// </summary>
public sealed class TwoSiteLabFixture : LabFixture
{
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

    /// <summary>The PID of site b's manager process (the lab runs it as a child).</summary>
    public int SiteBManagerPid => int.Parse(File.ReadAllText(Path.Combine(DataDirectory, "lab", "site-b", "manager.pid")).Trim(), CultureInfo.InvariantCulture);
}
