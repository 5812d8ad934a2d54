namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>A source could not send what was asked: it refused, could not be reached, cut the connection, or stalled.</summary>
internal sealed class ChunkSourceException : Exception
{
    public ChunkSourceException(string message, bool stalled = false, Exception? inner = null)
        : base(message, inner)
    {
        Stalled = stalled;
    }

    public ChunkSourceException()
        : this("the source failed")
    {
    }

    public ChunkSourceException(string message)
        : this(message, false)
    {
    }

    public ChunkSourceException(string message, Exception inner)
        : this(message, false, inner)
    {
    }

    /// <summary>No byte arrived for the stall window.</summary>
    public bool Stalled { get; }
}
