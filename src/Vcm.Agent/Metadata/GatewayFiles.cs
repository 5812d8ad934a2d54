using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Metadata;

/// <summary>
/// The files a gateway's metadata service shares with the network driver, in the gateway's folder:
/// nodes.json (written by the driver, read by the service) and phone-home/NODE.json (written by the service, read
/// by the driver). Every write is atomic (a file beside, then a rename), so a reader never sees half a file.
/// </summary>
public static class GatewayFiles
{
    public const string NodesFileName = "nodes.json";

    public const string ReportsFolderName = "phone-home";

    public const string SetupFileName = "setup.json";

    public static string NodesFile(string directory) => Path.Combine(directory, NodesFileName);

    public static string SetupFile(string directory) => Path.Combine(directory, SetupFileName);

    public static string ReportsDirectory(string directory) => Path.Combine(directory, ReportsFolderName);

    public static string ReportFile(string directory, string node) => Path.Combine(ReportsDirectory(directory), CheckName(node) + ".json");

    /// <summary>The SHA-256 of a node token, as nodes.json holds it (lowercase hex); empty for an empty token.</summary>
    public static string HashToken(string token) =>
        token.Length == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The nodes of a gateway spec as the metadata service reads them (tokens hashed), sorted by name.</summary>
    public static IReadOnlyList<MetadataNode> Nodes(GatewaySpec spec) =>
        spec.Nodes
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new MetadataNode(CheckName(n.Name), n.Mac, n.Ip, HashToken(n.Token), n.SshKeys, n.UserScript, n.Head, n.Cpus, n.MemoryMb, n.HostKey))
            .ToList();

    /// <summary>
    /// Writes nodes.json for <paramref name="spec"/>; returns false when it already said exactly that. Reports of
    /// nodes that are gone, or whose token changed (a new VM), are deleted: they describe a machine that is no more.
    /// </summary>
    public static async Task<bool> WriteNodesAsync(string directory, GatewaySpec spec, CancellationToken cancellationToken)
    {
        var nodes = Nodes(spec);
        var content = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(nodes, MetadataJson.Options) + "\n");
        var path = NodesFile(directory);
        if (File.Exists(path) && (await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(content))
        {
            return false;
        }

        IReadOnlyList<MetadataNode> before;
        try
        {
            before = await ReadNodesAsync(directory, cancellationToken);
        }
        catch (JsonException)
        {
            before = [];
        }

        Directory.CreateDirectory(directory);
        await WriteAtomicallyAsync(path, content, cancellationToken);
        foreach (var old in before)
        {
            if (!nodes.Any(n => n.Name == old.Name && n.TokenSha256 == old.TokenSha256))
            {
                DeleteReport(directory, old.Name);
            }
        }

        return true;
    }

    /// <summary>Writes setup.json for <paramref name="spec"/> (what the nodes set up among themselves); false when it already said exactly that.</summary>
    public static async Task<bool> WriteSetupAsync(string directory, GatewaySpec spec, CancellationToken cancellationToken)
    {
        var setup = new SetupFile(spec.Domain, spec.Subnet, spec.Setup);
        var content = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(setup, MetadataJson.Options) + "\n");
        var path = SetupFile(directory);
        if (File.Exists(path) && (await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(content))
        {
            return false;
        }

        Directory.CreateDirectory(directory);
        await WriteAtomicallyAsync(path, content, cancellationToken);
        return true;
    }

    /// <summary>The cluster's set-up from setup.json; null when there is none (a gateway made before it existed).</summary>
    public static async Task<SetupFile?> ReadSetupAsync(string directory, CancellationToken cancellationToken)
    {
        var path = SetupFile(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<SetupFile>(stream, MetadataJson.Options, cancellationToken);
    }

    /// <summary>The nodes in nodes.json; none when there is no such file.</summary>
    public static async Task<IReadOnlyList<MetadataNode>> ReadNodesAsync(string directory, CancellationToken cancellationToken)
    {
        var path = NodesFile(directory);
        if (!File.Exists(path))
        {
            return [];
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<List<MetadataNode>>(stream, MetadataJson.Options, cancellationToken) ?? [];
    }

    public static async Task WriteReportAsync(string directory, NodeReport report, CancellationToken cancellationToken)
    {
        var path = ReportFile(directory, report.Name);
        Directory.CreateDirectory(ReportsDirectory(directory));
        await WriteAtomicallyAsync(path, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(report, MetadataJson.Options) + "\n"), cancellationToken);
    }

    /// <summary>Every phone-home report in the gateway's folder, by node name; none when there are none. Unreadable files are skipped.</summary>
    public static async Task<IReadOnlyList<NodeReport>> ReadReportsAsync(string directory, CancellationToken cancellationToken)
    {
        var folder = ReportsDirectory(directory);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var reports = new List<NodeReport>();
        foreach (var file in Directory.GetFiles(folder, "*.json").Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            try
            {
                await using var stream = File.OpenRead(file);
                if (await JsonSerializer.DeserializeAsync<NodeReport>(stream, MetadataJson.Options, cancellationToken) is { } report)
                {
                    reports.Add(report);
                }
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                // deleted or damaged meanwhile: not a report
            }
        }

        return reports.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Forgets a node's report (absent is fine), e.g. when its VM is made anew.</summary>
    public static void DeleteReport(string directory, string node)
    {
        if (Directory.Exists(ReportsDirectory(directory)))
        {
            File.Delete(ReportFile(directory, node));
        }
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // 0600: nodes.json holds nodes' SSH host keys (the folder is the agent's alone too)
            await using (var stream = new FileStream(scratch, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                await stream.WriteAsync(content, cancellationToken);
            }

            File.Move(scratch, path, overwrite: true);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static string CheckName(string node) =>
        node.Length > 0 && !node.StartsWith('.') && node.IndexOfAny(['/', '\0']) < 0
            ? node
            : throw new ArgumentException($"'{node}' cannot be a node's name in a gateway's files.", nameof(node));
}
