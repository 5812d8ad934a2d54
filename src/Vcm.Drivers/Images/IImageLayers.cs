namespace Vcm.Drivers.Images;

/// <summary>
/// Package sets as image layers in the site's image store: a layer holds what a set of Debian packages adds over its
/// parent image, is named by its content (the parent's bytes and the exact versions installed), is built once and
/// shared by every node of every cluster that asks for the same set.
/// </summary>
/// <remarks>
/// Contract: <see cref="ResolveAsync"/> only reads (the archive's index and the image's package database) and names
/// every package the archive does not have. <see cref="EnsureAsync"/> builds the layer unless the store holds it
/// whole; it is idempotent and safe to call again after a crash (a half-built layer is never published); a package
/// that will not install is a terminal <see cref="DriverException"/> with apt's reason.
/// </remarks>
public interface IImageLayers
{
    Task<PackageResolution> ResolveAsync(string image, IReadOnlyList<string> packages, CancellationToken cancellationToken);

    Task<LayerBuild> EnsureAsync(LayerPlan plan, Action<string> progress, CancellationToken cancellationToken);

    /// <summary>The images and layers in the store, each with its size and parent.</summary>
    Task<IReadOnlyList<StoredImage>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes a layer from the store (the caller checks that no cluster uses it); false when there is none.</summary>
    Task<bool> RemoveAsync(string layer, CancellationToken cancellationToken);
}

/// <summary>How layers are named: IMAGE.pk-HASH, the hash of what the layer installs over IMAGE.</summary>
public static class LayerNames
{
    public const string Mark = ".pk-";

    /// <summary>The image a layer's name is over, or the name itself when it is not a layer's.</summary>
    public static string ImageOf(string name) => name.IndexOf(Mark, StringComparison.Ordinal) is var at and >= 0 ? name[..at] : name;

    public static bool IsLayer(string name) => name.Contains(Mark, StringComparison.Ordinal);
}

/// <summary>A package at an exact version.</summary>
public sealed record PackageVersion(string Name, string Version);

/// <summary>
/// A package set on an image, resolved: the layer that holds it, what it installs over the image, and how much that
/// unpacks to (the sum of the packages' Installed-Size, KiB; 0 when unknown) — what a build's time depends on besides
/// the number of packages.
/// </summary>
public sealed record LayerPlan(string Image, string Layer, IReadOnlyList<string> Requested, IReadOnlyList<PackageVersion> Installs, long InstalledKib = 0);

/// <summary>The answer of a resolution: a plan, or the packages the archive does not have, or why the set cannot be installed.</summary>
public sealed record PackageResolution(LayerPlan? Plan, IReadOnlyList<string> Unknown, string? Error)
{
    public static PackageResolution Of(LayerPlan plan) => new(plan, [], null);
}

/// <summary>A layer made present in the store: whether this call built it, how long that took, its size.</summary>
public sealed record LayerBuild(string Layer, bool Built, double Seconds, long Bytes, long MinDiskMb);

/// <summary>An image or layer of the store.</summary>
public sealed record StoredImage(string Name, string? Parent, long Bytes, long MinDiskMb, IReadOnlyList<string> Requested, int Packages);
