using System.Net;
using System.Text;
using Renci.SshNet;
using Vcm.Drivers.Network;

namespace Vcm.Manager.Ssh;

/// <summary>
/// An interactive shell on a node (SSH.NET): a pseudo-terminal of the size asked, logged in with the cluster's admin
/// key, to a server whose host key must be the one the node reported when it phoned home — nothing else is trusted.
/// </summary>
public sealed class NodeShell : IAsyncDisposable
{
    private readonly SshClient _client;
    private readonly LoopbackRelay _relay;

    private NodeShell(SshClient client, ShellStream stream, LoopbackRelay relay)
    {
        _client = client;
        Stream = stream;
        _relay = relay;
    }

    /// <summary>The terminal's bytes: written, its input; read, its output (0 once the shell ended).</summary>
    public ShellStream Stream { get; }

    public static async Task<NodeShell> OpenAsync(ShellTarget target, uint columns, uint rows, CancellationToken cancellationToken)
    {
        var parts = target.HostKey.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        var pinned = parts.Length >= 2 ? Convert.FromBase64String(parts[1]) : throw new IOException("the node reported no usable host key");
        var upstream = await NamespaceSockets.ConnectAsync(target.Netns, new IPEndPoint(IPAddress.Parse(target.Address), target.Port), cancellationToken);
        var relay = LoopbackRelay.Start(upstream);
        SshClient? client = null;
        try
        {
            using var pem = new MemoryStream(Encoding.ASCII.GetBytes(target.PrivateKeyPem));
            var info = new Renci.SshNet.ConnectionInfo(relay.EndPoint.Address.ToString(), relay.EndPoint.Port, target.User, new PrivateKeyAuthenticationMethod(target.User, new PrivateKeyFile(pem)))
            {
                Timeout = TimeSpan.FromSeconds(15),
            };
            foreach (var algorithm in info.HostKeyAlgorithms.Keys.Where(a => !SignsWith(a, parts[0])).ToList())
            {
                info.HostKeyAlgorithms.Remove(algorithm); // ask only for the kind of key the node reported
            }

            client = new SshClient(info);
            client.HostKeyReceived += (_, e) => e.CanTrust = e.HostKey.AsSpan().SequenceEqual(pinned);
            await client.ConnectAsync(cancellationToken);
            var stream = client.CreateShellStream("xterm-256color", columns, rows, 0, 0, 32 * 1024);
            return new NodeShell(client, stream, relay);
        }
        catch
        {
            client?.Dispose();
            await relay.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether a host key algorithm signs with keys of <paramref name="keyType"/> (ssh-rsa keys sign as rsa-sha2-*).</summary>
    private static bool SignsWith(string algorithm, string keyType) =>
        algorithm == keyType || (keyType == "ssh-rsa" && algorithm.StartsWith("rsa-sha2-", StringComparison.Ordinal));

    public void Resize(uint columns, uint rows) => Stream.ChangeWindowSize(columns, rows, 0, 0);

    public async ValueTask DisposeAsync()
    {
        Stream.Dispose();
        _client.Dispose();
        await _relay.DisposeAsync();
    }
}
