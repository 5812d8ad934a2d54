namespace Vcm.Domain.Packages;

/// <summary>One way's estimated time to Ready and how it adds up (build, transfer, boot, install at boot).</summary>
public sealed record WayEstimate(ReadyWay Way, double Seconds, string Why)
{
    /// <summary>The layer or cache image the nodes would boot from (the image itself for <see cref="ReadyWay.BaseInstall"/>).</summary>
    public string? Boots { get; init; }

    /// <summary>The part of <see cref="Seconds"/> spent building a layer (only for <see cref="ReadyWay.BuildLayer"/>).</summary>
    public double BuildSeconds { get; init; }
}
