namespace Vcm.Domain.Packages;

/// <summary>Where an image's cache image is; stored in lower case.</summary>
public enum CacheImageState
{
    /// <summary>The frequent set changed: its layer is being built (again after a restart).</summary>
    Building,

    /// <summary>Its layer is built; clusters whose packages it holds boot from it.</summary>
    Ready,

    /// <summary>Its layer cannot be built (the reason says why); tried again when the set changes.</summary>
    Failed,
}
