using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Vcm.Drivers.Network;

/// <summary>
/// TCP connections from inside a named network namespace (<c>ip netns</c>'s, /run/netns/NAME) without a child process:
/// a thread of its own enters the namespace, makes the socket (a socket belongs to the namespace it was made in), and
/// goes back; the connection is then made from anywhere. Entering a namespace needs CAP_SYS_ADMIN (root).
/// </summary>
public static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>A TCP connection to <paramref name="endpoint"/>, made in <paramref name="netns"/> (null: this process's own).</summary>
    public static async Task<Socket> ConnectAsync(string? netns, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = netns is null ? new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) : MakeIn(netns, endpoint.AddressFamily);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket MakeIn(string netns, AddressFamily family)
    {
        if (netns.Length == 0 || netns.Contains('/', StringComparison.Ordinal) || netns is "." or "..")
        {
            throw new ArgumentException($"'{netns}' is not a network namespace's name", nameof(netns));
        }

        Socket? made = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var own = File.OpenHandle("/proc/thread-self/ns/net");
                using var target = File.OpenHandle(Path.Combine("/run/netns", netns));
                Enter(target, netns);
                try
                {
                    made = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
                }
                finally
                {
                    Enter(own, "this process's own");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "vcm netns socket" };
        thread.Start();
        thread.Join();
        return made ?? throw new IOException($"could not make a socket in network namespace {netns}: {failure?.Message}", failure);
    }

    private static void Enter(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string what)
    {
        if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
        {
            throw new IOException($"setns into {what} network namespace failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
