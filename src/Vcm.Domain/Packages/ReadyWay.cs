namespace Vcm.Domain.Packages;

/// <summary>How a cluster's nodes come to hold the packages it asked for; stored and shown by name.</summary>
public enum ReadyWay
{
    /// <summary>The exact layer of the set is built already: nodes boot from it.</summary>
    LayerExact,

    /// <summary>The image's cache image is built and holds every package asked for: nodes boot from it.</summary>
    CacheImage,

    /// <summary>The exact layer is built now (once, for every cluster that asks for the same set), then nodes boot from it.</summary>
    BuildLayer,

    /// <summary>Nodes boot from the cache image, whose set is part of the request, and install the rest at boot.</summary>
    CacheImagePlusInstall,

    /// <summary>Nodes boot from the base image and install every package at boot.</summary>
    BaseInstall,
}
