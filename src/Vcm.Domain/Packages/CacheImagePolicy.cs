namespace Vcm.Domain.Packages;

/// <summary>
/// Which packages go into an image's cache image: those asked for in at least <see cref="MinPercent"/>% of the last
/// <see cref="Window"/> requests for that image.
/// </summary>
public sealed record CacheImagePolicy(int MinPercent, int Window)
{
    /// <summary>How many of the last <see cref="Window"/> requests must ask for a package: ⌈M·N/100⌉, at least 1.</summary>
    public int Threshold => Math.Max(1, ((MinPercent * Window) + 99) / 100);
}
