using System.Text.Json;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The files shared with the gateway's metadata service (<c>vcm metadata --dir GATEWAY_DIR</c>): the driver writes
/// <c>nodes.json</c>; the service writes one <c>phone-home/NODE.json</c> (a <see cref="NodeReport"/>) per node that
/// phoned home. Both are JSON in camelCase. The one place that knows the format, so it can follow the service's own.
/// </summary>
internal static class MetadataFiles
{
    public const string NodesFile = "nodes.json";

    public const string PhoneHomeFolder = "phone-home";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string NodesJson(IReadOnlyList<GatewayNode> nodes) =>
        JsonSerializer.Serialize(nodes.Select(ToMetadata).ToList(), Json) + "\n";

    /// <summary>The reports in GATEWAY_DIR/phone-home, by node name; files that are not (yet) a whole report are skipped.</summary>
    public static IReadOnlyList<NodeReport> ReadReports(string gatewayDirectory)
    {
        var folder = Path.Combine(gatewayDirectory, PhoneHomeFolder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var reports = new List<NodeReport>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize<NodeReport>(File.ReadAllText(file), Json) is { Name.Length: > 0 } report)
                {
                    reports.Add(report);
                }
            }
            catch (JsonException)
            {
                // being written, or not a report: the next poll sees it whole
            }
            catch (IOException)
            {
                // removed meanwhile
            }
        }

        return reports.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    private static MetadataNode ToMetadata(GatewayNode node) => new(
        node.Name,
        node.Mac.ToLowerInvariant(),
        node.Ip,
        node.Token.Length == 0 ? "" : FileText.Sha256(node.Token),
        node.SshKeys,
        node.UserScript);
}
