namespace Vcm.Domain.Clusters;

/// <summary>A site a cluster may use, and how many of its nodes go there (null: as many as fit, in order).</summary>
public sealed record SiteShare(string Site, int? Count)
{
    public override string ToString() => Count is { } n ? $"{Site}:{n}" : Site;
}
