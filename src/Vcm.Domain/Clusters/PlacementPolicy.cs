namespace Vcm.Domain.Clusters;

/// <summary>How nodes are laid over hosts: fill few hosts (pack) or use as many as possible (spread).</summary>
public enum PlacementPolicy
{
    Pack,
    Spread,
}
