namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>
/// A host's image files as its agent serves them to other hosts: a complete file as it is, a file still being copied
/// as its bytes arrive (so the next host in a chain copies while this one does).
/// </summary>
public interface IImageFileServer
{
    /// <summary>
    /// The size of FILE of IMAGE when this host holds it or is copying it; waits up to the stall window for a copy to
    /// start (the next host may ask first); null when there is none.
    /// </summary>
    Task<long?> SizeAsync(string image, string file, CancellationToken cancellationToken);

    /// <summary>
    /// Writes bytes [offset, offset + length) to <paramref name="destination"/> as this host has them; an
    /// <see cref="IOException"/> when this host's own copy stops, goes back, or makes no progress for the stall window.
    /// </summary>
    Task CopyRangeAsync(string image, string file, long offset, long length, Stream destination, CancellationToken cancellationToken);
}
