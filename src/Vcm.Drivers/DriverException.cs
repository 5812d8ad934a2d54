namespace Vcm.Drivers;

/// <summary>
/// A driver could not do what it was asked. <see cref="Terminal"/> says retrying the same step cannot help
/// (a missing image, a spec the host can never satisfy); otherwise the caller retries with backoff.
/// </summary>
public sealed class DriverException : Exception
{
    public DriverException(string message, bool terminal = false, Exception? inner = null)
        : base(message, inner)
    {
        Terminal = terminal;
    }

    public DriverException()
        : this("driver error")
    {
    }

    public DriverException(string message)
        : this(message, false)
    {
    }

    public DriverException(string message, Exception inner)
        : this(message, false, inner)
    {
    }

    public bool Terminal { get; }
}
