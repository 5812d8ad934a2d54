using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Metadata;

/// <summary>
/// The nodes of nodes.json, read again whenever the file changes, and the one question the service asks of them:
/// which node, if any, is this request from? A change is seen by the file's time and size; while its time is
/// recent by <paramref name="clock"/> (a rewrite within the file system's timestamp granularity could keep both) the
/// content is compared too. No inotify: a host runs one service per gateway, and root's inotify instances are few (128 by default).
/// </summary>
public sealed partial class NodeTable(MetadataServerOptions options, TimeProvider clock, ILogger<NodeTable> logger)
{
    private static readonly TimeSpan Recent = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private Dictionary<IPAddress, MetadataNode> _byAddress = [];
    private (DateTime Time, long Length)? _stamp;
    private byte[]? _content;

    public int Count => Snapshot().Count;

    /// <summary>Every node of nodes.json, by name.</summary>
    public IReadOnlyList<MetadataNode> All() => Snapshot().Values.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The node a request is from by its address alone: for the package repository (/apt), which apt asks with no
    /// token and which holds only the Debian archive's public files.
    /// </summary>
    public AccessDecision ByAddress(IPAddress? remote)
    {
        if (remote is null)
        {
            return AccessDecision.Denied("no remote address");
        }

        return Snapshot().TryGetValue(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote, out var node)
            ? new AccessDecision(node, "ok (by address)")
            : AccessDecision.Denied("no node has this address");
    }

    /// <summary>
    /// The node a request is from: its token's SHA-256 must be that of the node whose address the request comes
    /// from. Otherwise no node, and a reason for the service's log (never for the caller).
    /// </summary>
    public AccessDecision Authenticate(string? token, IPAddress? remote)
    {

        if (string.IsNullOrEmpty(token))
        {
            return AccessDecision.Denied("no token");
        }

        if (remote is null)
        {
            return AccessDecision.Denied("no remote address");
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (!Snapshot().TryGetValue(remote, out var node))
        {
            return AccessDecision.Denied("no node has this address");
        }

        var given = Encoding.ASCII.GetBytes(GatewayFiles.HashToken(token));
        var expected = Encoding.ASCII.GetBytes(node.TokenSha256);
        return expected.Length > 0 && CryptographicOperations.FixedTimeEquals(given, expected)
            ? new AccessDecision(node, "ok")
            : AccessDecision.Denied($"wrong token for node {node.Name}");
    }

    private Dictionary<IPAddress, MetadataNode> Snapshot()
    {
        var file = new FileInfo(GatewayFiles.NodesFile(options.Directory));
        (DateTime Time, long Length)? stamp = file.Exists ? (file.LastWriteTimeUtc, file.Length) : null;
        lock (_lock)
        {
            var recent = stamp is { } s && clock.GetUtcNow().UtcDateTime - s.Time < Recent;
            if (_content is null || stamp != _stamp || recent)
            {
                _stamp = stamp;
                Reload(file);
            }

            return _byAddress;
        }
    }

    private void Reload(FileInfo file)
    {
        try
        {
            var content = file.Exists ? File.ReadAllBytes(file.FullName) : [];
            if (_content is not null && content.AsSpan().SequenceEqual(_content))
            {
                return;
            }

            var nodes = content.Length > 0 ? JsonSerializer.Deserialize<List<MetadataNode>>(content, MetadataJson.Options) ?? [] : [];
            _byAddress = Index(nodes);
            _content = content;
            LogLoaded(logger, file.FullName, _byAddress.Count);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // keep serving the nodes last read; the file is read again when it changes
            _content ??= [];
            LogUnreadable(logger, file.FullName, e.Message);
        }
    }

    private Dictionary<IPAddress, MetadataNode> Index(List<MetadataNode> nodes)
    {
        var byAddress = new Dictionary<IPAddress, MetadataNode>();
        foreach (var node in nodes)
        {
            if (!IPAddress.TryParse(node.Ip, out var address))
            {
                LogBadNode(logger, node.Name, $"'{node.Ip}' is not an IP address");
            }
            else if (!byAddress.TryAdd(address, node))
            {
                LogBadNode(logger, node.Name, $"{node.Ip} is {byAddress[address].Name}'s address already");
            }
        }

        return byAddress;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{File}: {Count} nodes")]
    private static partial void LogLoaded(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} unreadable, keeping the nodes read before: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string file, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node} left out: {Reason}")]
    private static partial void LogBadNode(ILogger logger, string node, string reason);
}
