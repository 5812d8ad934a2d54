namespace Vcm.Domain.Packages;

/// <summary>
/// Install at boot's time as a function of the packages installed, fitted to the nodes' reports (fixed part — apt
/// reading the site's indexes — plus per package, as <see cref="LineFit"/>); with no report, the default per package.
/// </summary>
public sealed record InstallFit(double BaseSeconds, double SecondsPerPackage, int Samples)
{
    public static InstallFit Of(IReadOnlyList<InstallSample> installs, CostDefaults defaults)
    {
        var usable = installs.Where(i => i.Packages > 0 && i.Seconds > 0).ToList();
        if (usable.Count == 0)
        {
            return new InstallFit(0, defaults.InstallSecondsPerPackage, 0);
        }

        var (fixedPart, perPackage) = LineFit.Of(usable.Select(i => (i.Packages, i.Seconds)).ToList());
        return new InstallFit(fixedPart, perPackage, usable.Count);
    }

    public double Seconds(int packages) => packages == 0 ? 0 : BaseSeconds + (SecondsPerPackage * packages);

    public override string ToString() => Samples == 0
        ? $"{SecondsPerPackage:0.0} s/package, not measured yet"
        : $"{BaseSeconds:0} s + {SecondsPerPackage:0.00} s/package from {Samples} nodes' installs";
}
