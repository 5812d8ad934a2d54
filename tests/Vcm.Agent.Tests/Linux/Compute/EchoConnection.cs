using System.Diagnostics;

namespace Vcm.Agent.Tests.Linux.Compute;

/// <summary>
/// One TCP connection from a namespace to a test guest's echo port (busybox nc, its stdin and stdout ours): a line
/// sent comes back; "boot" answers the guest's boot_id. Killed by PID on dispose.
/// </summary>
public sealed class EchoConnection : IDisposable
{
    private readonly Process _process;

    private EchoConnection(Process process)
    {
        _process = process;
    }

    public static EchoConnection Open(string ns, string address)
    {
        var info = new ProcessStartInfo("ip", ["netns", "exec", ns, "busybox", "nc", address, TestGuest.EchoPort.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return new EchoConnection(Process.Start(info) ?? throw new InvalidOperationException("nc did not start"));
    }

    /// <summary>Sends a line and answers the line that comes back (null: the connection closed or nothing came within 20 s).</summary>
    public async Task<string?> AskAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            return await _process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // it ended
        }

        _process.Dispose();
    }
}
