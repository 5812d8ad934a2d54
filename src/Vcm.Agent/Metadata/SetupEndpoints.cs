using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vcm.Agent.Metadata;

/// <summary>
/// What a node needs to set the cluster up with the others (docs/guest-protocol.md, "Cluster set-up"): who it is in
/// the cluster and where the head is, the node list, root's key for SSH between the nodes and the nodes' host keys,
/// the tenant's files (head only), and for a Slurm cluster its munge key and slurm.conf. Plain text and raw bytes, so
/// that a shell script with wget can read them. 404: not for this cluster or node.
/// </summary>
public static class SetupEndpoints
{
    private const string Text = "text/plain; charset=utf-8";

    /// <summary>The cluster's nodes' public host keys: asked by any user's ssh on a node (KnownHostsCommand), who cannot
    /// read the node's token, so answered to a node of the cluster by its address alone.</summary>
    public const string KnownHostsPath = "/v1/self/known_hosts";

    public static bool IsByAddress(HttpRequest request) => request.Path.Equals(KnownHostsPath, StringComparison.Ordinal);

    public static void Map(RouteGroupBuilder self)
    {
        self.MapGet("/cluster", async (HttpContext context, NodeTable table, MetadataServerOptions options, CancellationToken ct) =>
        {
            var node = MetadataServer.Node(context);
            var setup = await GatewayFiles.ReadSetupAsync(options.Directory, ct);
            if (setup is null)
            {
                return Results.NotFound();
            }

            var head = table.All().FirstOrDefault(n => n.Head);
            var text = new StringBuilder();
            Line(text, "VCM_CLUSTER", setup.Domain);
            Line(text, "VCM_ROLE", node.Head ? "head" : "worker");
            Line(text, "VCM_HEAD", head?.Name ?? "");
            Line(text, "VCM_HEAD_IP", head?.Ip ?? "");
            Line(text, "VCM_SUBNET", setup.Subnet);
            Line(text, "VCM_SLURM", setup.Setup.Slurm ? "1" : "0");
            Line(text, "VCM_SHARED", setup.Setup.SharedVolume ? "1" : "0");
            Line(text, "VCM_FILES", (node.Head ? setup.Setup.Files.Count : 0).ToString(CultureInfo.InvariantCulture));
            return Results.Text(text.ToString(), Text);
        });
        self.MapGet("/nodes", (NodeTable table) => Results.Text(
            string.Concat(table.All().Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Name} {n.Ip} {(n.Head ? "head" : "worker")} {n.Cpus} {n.MemoryMb}\n"))), Text));
        self.MapGet("/node-key", async (MetadataServerOptions options, CancellationToken ct) =>
            await GatewayFiles.ReadSetupAsync(options.Directory, ct) is { Setup.NodeKey: { } key } ? Results.Text(key, Text) : Results.NotFound());
        self.MapGet("/known_hosts", async (MetadataServerOptions options, CancellationToken ct) =>
        {
            var domain = (await GatewayFiles.ReadSetupAsync(options.Directory, ct))?.Domain;
            var reports = await GatewayFiles.ReadReportsAsync(options.Directory, ct);
            return Results.Text(string.Concat(reports.Where(r => r.HostKey.Length > 0).Select(r =>
                $"{r.Name},{(domain is null ? "" : $"{r.Name}.{domain},")}{r.Ip} {r.HostKey}\n")), Text);
        });
        self.MapGet("/munge.key", async (MetadataServerOptions options, CancellationToken ct) =>
            await GatewayFiles.ReadSetupAsync(options.Directory, ct) is { Setup: { Slurm: true, MungeKey: { } key } }
                ? Results.Bytes(Convert.FromBase64String(key), "application/octet-stream")
                : Results.NotFound());
        self.MapGet("/slurm.conf", async (NodeTable table, MetadataServerOptions options, CancellationToken ct) =>
            await GatewayFiles.ReadSetupAsync(options.Directory, ct) is { Setup.Slurm: true } setup && table.All().Any(n => n.Head)
                ? Results.Text(SlurmConfig.For(setup.Domain, table.All()), Text)
                : Results.NotFound());
        self.MapGet("/files", async (HttpContext context, MetadataServerOptions options, CancellationToken ct) =>
        {
            var files = await FilesAsync(context, options, ct);
            return Results.Text(string.Concat(files.Select((f, i) => string.Create(CultureInfo.InvariantCulture, $"{i} {f.Mode} {f.Path}\n"))), Text);
        });
        self.MapGet("/files/{index:int}", async (int index, HttpContext context, MetadataServerOptions options, CancellationToken ct) =>
        {
            var files = await FilesAsync(context, options, ct);
            return index >= 0 && index < files.Count
                ? Results.Bytes(Convert.FromBase64String(files[index].Content), "application/octet-stream")
                : Results.NotFound();
        });
    }

    /// <summary>The tenant's files: the head's; no other node gets any.</summary>
    private static async Task<IReadOnlyList<Drivers.Network.GatewayFile>> FilesAsync(HttpContext context, MetadataServerOptions options, CancellationToken ct) =>
        MetadataServer.Node(context).Head && await GatewayFiles.ReadSetupAsync(options.Directory, ct) is { } setup ? setup.Setup.Files : [];

    /// <summary>NAME='value' for sh; a ' in the value is closed, escaped and reopened.</summary>
    private static void Line(StringBuilder text, string name, string value) =>
        text.Append(name).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
}
