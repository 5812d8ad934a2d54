namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>
/// The host's disk cannot take a file: it filled up while the file was written, or has less free than the copy
/// needs (<see cref="Free"/>). <see cref="Remaining"/> bytes were still to come. Turned into a
/// <see cref="Vcm.Drivers.DriverException"/> once the partial copy is removed (<see cref="DiskSpace.Full"/>).
/// </summary>
internal sealed class DiskFullException : Exception
{
    public DiskFullException(long remaining, long? free, Exception? inner = null)
        : base("no space left on device", inner)
    {
        Remaining = remaining;
        Free = free;
    }

    public DiskFullException()
        : base("no space left on device")
    {
    }

    public DiskFullException(string message)
        : base(message)
    {
    }

    public DiskFullException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public long Remaining { get; }

    public long? Free { get; }
}
