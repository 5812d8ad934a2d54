using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Common;
using Vcm.Manager.Auth;
using Vcm.Manager.Configuration;
using Vcm.Manager.Http;
using Vcm.Manager.Ssh;
using Vcm.Store.Clusters;

namespace Vcm.Manager.Api;

/// <summary>
/// GET /api/v1/clusters/{name}/nodes/{node}/shell: a WebSocket to a shell on the node, through its gateway's forwarded
/// SSH port — the route `vcm ssh` takes —, logged in with the cluster's admin key and the node's reported host key
/// pinned. Only for those who manage the cluster; every refusal is answered before the upgrade, and a node that cannot
/// be reached (yet) in the close frame (1008 with the reason).
/// </summary>
public static partial class ShellEndpoints
{
    internal static async Task<IResult> ShellAsync(
        HttpContext http, string name, string node, int? cols, int? rows, Caller caller, ClusterStore clusters, LocalSite site,
        IHostApplicationLifetime lifetime, ILogger<NodeShell> logger, CancellationToken cancellationToken)
    {
        var (cluster, record, problem) = await NodeEndpoints.FindAsync(name, node, caller, clusters, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!caller.Manages(cluster!))
        {
            return Problems.Forbidden($"Only the creator of '{name}', a tenant-admin of its tenant or the provider may open a shell on its nodes.");
        }

        var problems = new List<Problem>();
        foreach (var (field, value) in new[] { ("cols", cols), ("rows", rows) })
        {
            if (value is < 1 or > ShellBridge.MaxSize)
            {
                problems.Add(new Problem(field, $"must be 1 to {ShellBridge.MaxSize}"));
            }
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            problems.Add(new Problem("", "is not a WebSocket request (Connection: Upgrade, Upgrade: websocket)"));
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The shell request is not valid");
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        if (cluster!.ExternalIp is not { } external || record!.SshPort is not { } port || record.HostKey is not { } hostKey || cluster.AdminPrivateKey is not { } key)
        {
            // a state, not a refusal: said in the close frame, which a browser's page can show (it cannot read a status
            // answered before the upgrade)
            await ShellBridge.CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, $"{node} cannot be reached by SSH yet (no external network, not provisioned, or no host key)", cancellationToken);
            return Results.Empty;
        }

        var target = new ShellTarget(external.Split('/')[0], port, site.External?.Netns, "root", hostKey, key);
        NodeShell shell;
        try
        {
            shell = await NodeShell.OpenAsync(target, (uint)(cols ?? 80), (uint)(rows ?? 24), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, name, node, e);
            await ShellBridge.CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, $"{node} is not reachable: {e.Message}", cancellationToken);
            return Results.Empty;
        }

        LogOpened(logger, name, node, caller.Name);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        await ShellBridge.RunAsync(socket, shell, stop.Token);
        return Results.Empty;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "web shell on {Cluster}/{Node} opened by {User}")]
    private static partial void LogOpened(ILogger logger, string cluster, string node, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "web shell on {Cluster}/{Node}: the node is not reachable")]
    private static partial void LogUnreachable(ILogger logger, string cluster, string node, Exception error);
}
