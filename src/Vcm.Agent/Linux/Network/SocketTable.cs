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

    /// <summary>True when a TCP socket listens on the IPv6 <paramref name="address"/> (or any address) and <paramref name="port"/>.</summary>
    public static bool Tcp6Listening(int pid, string address, int port) => Has(pid, "tcp6", Hex6(address), "00000000000000000000000000000000", port, TcpListen);

    /// <summary>True when a unix stream socket listens at <paramref name="path"/> in the process's namespace.</summary>
    public static bool UnixListening(int pid, string path)
    {
        // Num RefCount Protocol Flags Type St Inode Path: flags 00010000 (accepting connections), type 0001 (stream)
        return Lines(pid, "unix").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => fields.Length >= 8 && fields[3] == "00010000" && fields[4] == "0001" && fields[7] == path);
    }

    /// <summary>True when a UDP socket is bound to <paramref name="address"/> (or any address) and <paramref name="port"/>.</summary>
    public static bool UdpBound(int pid, string address, int port) => Has(pid, "udp", address, port, UdpUnconnected);

    private static bool Has(int pid, string protocol, string address, int port, string state) =>
        Has(pid, protocol, Hex(address), "00000000", port, state);

    private static bool Has(int pid, string protocol, string wanted, string any, int port, string state)
    {
        var lines = Lines(pid, protocol);
        var portHex = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != state)
            {
                continue;
            }

            var local = fields[1].Split(':');
            if (local.Length == 2 && local[1] == portHex && (local[0] == wanted || local[0] == any))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] Lines(int pid, string table)
    {
        try
        {
            return File.ReadAllLines($"/proc/{pid}/net/{table}");
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>An IPv6 address as /proc/net prints it: four 32-bit words, each in the host's (little-endian) byte order.</summary>
    private static string Hex6(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        var text = new System.Text.StringBuilder(32);
        for (var word = 0; word < 16; word += 4)
        {
            for (var i = 3; i >= 0; i--)
            {
                text.Append(bytes[word + i].ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>An IPv4 address as /proc/net prints it: the 32-bit value in the host's (little-endian) byte order.</summary>
    private static string Hex(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        return string.Create(CultureInfo.InvariantCulture, $"{bytes[3]:X2}{bytes[2]:X2}{bytes[1]:X2}{bytes[0]:X2}");
    }
}
