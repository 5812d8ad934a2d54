namespace Vcm.Domain.Packages;

/// <summary>
/// What the cost model assumes until the site's history says otherwise (and the constants it does not measure).
/// The defaults come from this machine's hand measurements (issue 9): 177 packages installed into a layer in ~60 s
/// making 475 MiB; the same installed inside a booted TCG guest in 421 s (~2.4 s a package).
/// </summary>
public sealed record CostDefaults
{
    /// <summary>A layer build's fixed part (copying the parent's disk, rebasing), before any build is measured.</summary>
    public double BuildBaseSeconds { get; init; } = 20;

    /// <summary>A layer build's time per package installed, before any build is measured.</summary>
    public double BuildSecondsPerPackage { get; init; } = 0.35;

    /// <summary>A layer's size per package installed, before any build is measured.</summary>
    public double LayerMibPerPackage { get; init; } = 2.7;

    /// <summary>How fast a host fetches from the site's image store before any fetch of its is measured.</summary>
    public double TransferMibPerSecond { get; init; } = 50;

    /// <summary>Installing a package at boot inside a node (from the site's package cache), until the nodes' reports measure it.</summary>
    public double InstallSecondsPerPackage { get; init; } = 2.4;

    /// <summary>Booting a node to Ready once its disk is there: the same for every way, so it never changes the choice.</summary>
    public double BootSeconds { get; init; } = 10;
}
