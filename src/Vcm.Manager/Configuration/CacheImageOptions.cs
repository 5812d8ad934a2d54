using Vcm.Domain.Packages;

namespace Vcm.Manager.Configuration;

/// <summary>Cache images: which packages go in (M% of the last N requests for an image), and how often that is looked at.</summary>
public sealed record CacheImageOptions
{
    /// <summary>M: a package asked for in at least this share (percent) of the last <see cref="Window"/> requests goes in.</summary>
    public int MinPercent { get; init; } = 30;

    /// <summary>N: how many of an image's most recent requests count.</summary>
    public int Window { get; init; } = 50;

    /// <summary>How often every image's frequent set is computed again (it is also after each create with packages).</summary>
    public TimeSpan Recheck { get; init; } = TimeSpan.FromMinutes(1);

    public CacheImagePolicy Policy => new(MinPercent, Window);
}
