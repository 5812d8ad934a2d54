using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Metadata;

/// <summary>
/// The nodes of nodes.json, read again whenever the file changes (its size or time differ, or the folder watcher
/// saw it written: the network driver replaces it by a rename), and the one question the service asks of them:
/// which node, if any, is this request from?
/// </summary>
public sealed partial class NodeTable : IDisposable
{
    private readonly string _directory;
    private readonly ILogger<NodeTable> _logger;
    private readonly Lock _lock = new();
    private readonly FileSystemWatcher? _watcher;
    private Dictionary<IPAddress, MetadataNode> _byAddress = [];
    private (DateTime Time, long Length)? _stamp;
    private volatile bool _changed = true;

    public NodeTable(MetadataServerOptions options, ILogger<NodeTable> logger)
    {
        _directory = options.Directory;
        _logger = logger;
        Directory.CreateDirectory(_directory);
        _watcher = new FileSystemWatcher(_directory, GatewayFiles.NodesFileName) { IncludeSubdirectories = false };
        _watcher.Changed += (_, _) => _changed = true;
        _watcher.Created += (_, _) => _changed = true;
        _watcher.Deleted += (_, _) => _changed = true;
        _watcher.Renamed += (_, _) => _changed = true;
        _watcher.EnableRaisingEvents = true;
    }

    public int Count => Snapshot().Count;

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
        var file = new FileInfo(GatewayFiles.NodesFile(_directory));
        (DateTime, long)? stamp = file.Exists ? (file.LastWriteTimeUtc, file.Length) : null;
        lock (_lock)
        {
            if (_changed || stamp != _stamp)
            {
                _changed = false;
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
            var nodes = file.Exists ? JsonSerializer.Deserialize<List<MetadataNode>>(File.ReadAllText(file.FullName), MetadataJson.Options) ?? [] : [];
            var byAddress = new Dictionary<IPAddress, MetadataNode>();
            foreach (var node in nodes)
            {
                if (!IPAddress.TryParse(node.Ip, out var address))
                {
                    LogBadNode(_logger, node.Name, $"'{node.Ip}' is not an IP address");
                }
                else if (!byAddress.TryAdd(address, node))
                {
                    LogBadNode(_logger, node.Name, $"{node.Ip} is {byAddress[address].Name}'s address already");
                }
            }

            _byAddress = byAddress;
            LogLoaded(_logger, file.FullName, byAddress.Count);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // keep serving the nodes last read; the next change is read again
            LogUnreadable(_logger, file.FullName, e.Message);
        }
    }

    public void Dispose() => _watcher?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "{File}: {Count} nodes")]
    private static partial void LogLoaded(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} unreadable, keeping the nodes read before: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string file, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node} left out: {Reason}")]
    private static partial void LogBadNode(ILogger logger, string node, string reason);
}
