namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>Something that sends byte ranges of an image's files: the site's store, or a peer host.</summary>
internal interface IChunkSource
{
    /// <summary>Names the source in errors and logs.</summary>
    string Name { get; }

    /// <summary>
    /// The bytes [offset, offset + length) of FILE of IMAGE as a stream, which may end early (a cut connection); a
    /// refusal or an unreachable source is a <see cref="ChunkSourceException"/>. The headers must arrive before
    /// <paramref name="cancellationToken"/> fires (the caller's stall guard).
    /// </summary>
    Task<Stream> OpenAsync(string image, string file, long offset, long length, CancellationToken cancellationToken);
}
