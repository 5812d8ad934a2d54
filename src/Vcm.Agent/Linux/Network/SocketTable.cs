using System.Globalization;
using System.Net;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// Whether something listens on an address and port in a process's network namespace, read from
/// /proc/PID/net/{tcp,udp} (which show the sockets of the namespace PID lives in), without running a program.
/// </summary>
internal static class SocketTable
{
    private const string TcpListen = "0A";
    private const string UdpUnconnected = "07";

    /// <summary>True when a TCP socket listens on <paramref name="address"/> (or any address) and <paramref name="port"/>.</summary>
    public static bool TcpListening(int pid, string address, int port) => Has(pid, "tcp", address, port, TcpListen);

    /// <summary>True when a UDP socket is bound to <paramref name="address"/> (or any address) and <paramref name="port"/>.</summary>
    public static bool UdpBound(int pid, string address, int port) => Has(pid, "udp", address, port, UdpUnconnected);

    private static bool Has(int pid, string protocol, string address, int port, string state)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/net/{protocol}");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        var wanted = Hex(address);
        var portHex = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != state)
            {
                continue;
            }

            var local = fields[1].Split(':');
            if (local.Length == 2 && local[1] == portHex && (local[0] == wanted || local[0] == "00000000"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An IPv4 address as /proc/net prints it: the 32-bit value in the host's (little-endian) byte order.</summary>
    private static string Hex(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        return string.Create(CultureInfo.InvariantCulture, $"{bytes[3]:X2}{bytes[2]:X2}{bytes[1]:X2}{bytes[0]:X2}");
    }
}
