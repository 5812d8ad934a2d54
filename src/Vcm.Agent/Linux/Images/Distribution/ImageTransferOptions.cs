using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>How a host copies image files: chunk size, when a transfer counts as stalled, how long it serves a peer ahead of its own copy.</summary>
public sealed record ImageTransferOptions
{
    /// <summary>Files move and are checked in chunks of this size (a power of two, 64 KiB to 64 MiB).</summary>
    public int ChunkSize { get; init; } = ChunkList.DefaultChunkSize;

    /// <summary>
    /// A transfer fails only when no byte arrives for this long (there is no timeout on a whole file, however slow the
    /// link). A peer that stalls is dropped for the store; the store stalling fails the copy, which resumes later.
    /// It must exceed the time one chunk takes on the slowest link, because a peer may wait for a chunk it is receiving.
    /// </summary>
    public TimeSpan StallWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Connection failures at the same offset before a source is given up (any progress starts the count again).</summary>
    public int AttemptsWithoutProgress { get; init; } = 3;

    /// <summary>Bytes per second this host sends to each peer at most; null: as fast as the link goes.</summary>
    public long? ServeRate { get; init; }

    /// <summary>Free bytes in a folder; null: the file system's own answer (tests give a small disk).</summary>
    public Func<string, long>? FreeSpace { get; init; }

    /// <summary>Every problem of the settings, each naming its setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!ChunkList.IsValidChunkSize(ChunkSize))
        {
            problems.Add($"ChunkSize {ChunkSize} must be a power of two from 64 KiB to 64 MiB");
        }

        if (StallWindow <= TimeSpan.Zero)
        {
            problems.Add("StallWindow must be positive");
        }

        if (AttemptsWithoutProgress < 1)
        {
            problems.Add("AttemptsWithoutProgress must be at least 1");
        }

        if (ServeRate is <= 0)
        {
            problems.Add("ServeRate must be positive when set");
        }

        return problems;
    }
}
