using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Naming;
using Vcm.Manager.Agents;
using Vcm.Manager.Auth;
using Vcm.Manager.Configuration;
using Vcm.Manager.Http;
using Vcm.Manager.Metrics;
using Vcm.Store.Clusters;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/clusters/{name}/nodes/{node}: the serial console's tail, how to reach the node by SSH, a web shell on it.</summary>
public static class NodeEndpoints
{
    public static void MapNodes(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clusters/{name}/nodes/{node}").WithTags("nodes");
        group.MapGet("/console", ConsoleAsync).WithName("getNodeConsole").Produces<string>(contentType: "text/plain")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The last bytes of a node's serial console.");
        group.MapGet("/ssh", SshAsync).WithName("getNodeSshTarget").Produces<SshTargetView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Where to connect to a node's SSH server, with the host key it reported.");
        group.MapGet("/usage", UsageAsync).WithName("getNodeUsage").Produces<NodeUsageView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A node's recent CPU (percent of one CPU) and memory, one sample per heartbeat of its host's agent, the last 120, oldest first; none for a node at another site.");
        group.MapGet("/shell", ShellEndpoints.ShellAsync).WithName("openNodeShell")
            .Produces(StatusCodes.Status101SwitchingProtocols).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A shell on the node in the browser: a WebSocket whose binary frames are the terminal's bytes both ways; a text frame {\"resize\":{\"cols\":N,\"rows\":N}} resizes it (cols, rows: its first size, default 80x24). Closed 1000 when the shell ends, 1008 with the reason when the node cannot be reached (yet).");
    }

    private static async Task<IResult> ConsoleAsync(
        string name, string node, int? bytes, Caller caller, ClusterStore clusters, HostStore hosts, IAgentClient agents, CancellationToken cancellationToken)
    {
        var (cluster, record, problem) = await FindAsync(name, node, caller, clusters, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (record!.HostId is null)
        {
            return Problems.Conflict($"Node '{node}' runs at site {record.Site}; ask that site's manager for its console.");
        }

        var host = (await hosts.GetAsync([record.HostId], cancellationToken)).GetValueOrDefault(record.HostId);
        var agent = host is null ? null : (await hosts.GetAgentsAsync([host.AgentId], cancellationToken)).GetValueOrDefault(host.AgentId);
        if (host is null || agent is null)
        {
            return Problems.NotFound($"The host of node '{node}'");
        }

        var text = await agents.ConsoleAsync(
            host.Name, HostObjectNames.Vm(cluster!.Id, record.Name), Math.Clamp(bytes ?? 16384, 1, 1 << 20),
            new AgentRoute(agent.Id, agent.Url, agent.Key), cancellationToken);
        return text is null
            ? Problems.NotFound($"A console for node '{node}' on host {host.Name}")
            : Results.Text(text, "text/plain; charset=utf-8");
    }

    private static async Task<IResult> UsageAsync(
        string name, string node, Caller caller, ClusterStore clusters, HostStore hosts, NodeUsageBook usage, CancellationToken cancellationToken)
    {
        var (cluster, record, problem) = await FindAsync(name, node, caller, clusters, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var host = record!.HostId is null ? null : (await hosts.GetAsync([record.HostId], cancellationToken)).GetValueOrDefault(record.HostId);
        var samples = host is null ? [] : usage.Samples(host.Name, HostObjectNames.Vm(cluster!.Id, record.Name));
        return Results.Ok(new NodeUsageView(samples.Select(s => new UsageSampleView(s.At, s.CpuPercent, s.MemoryBytes)).ToList()));
    }

    private static async Task<IResult> SshAsync(
        string name, string node, bool? admin, Caller caller, ClusterStore clusters, LocalSite site, CancellationToken cancellationToken)
    {
        var (cluster, record, problem) = await FindAsync(name, node, caller, clusters, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (admin == true && !caller.Manages(cluster!))
        {
            return Problems.Forbidden($"Only the creator of '{name}', a tenant-admin of its tenant or the provider may have its admin key.");
        }

        if (cluster!.ExternalIp is not { } external || record!.SshPort is not { } port)
        {
            return Problems.Conflict($"Node '{node}' of '{name}' cannot be reached by SSH: the site has no external network, or the cluster is not provisioned.");
        }

        return Results.Ok(new SshTargetView(
            record.Name,
            external.Split('/')[0],
            port,
            "root",
            record.HostKey,
            record.HostKeyFingerprint,
            site.External?.Netns,
            admin == true ? cluster.AdminPrivateKey : null));
    }

    internal static async Task<(Store.Records.ClusterRecord?, Store.Records.NodeRecord?, IResult?)> FindAsync(
        string name, string node, Caller caller, ClusterStore clusters, CancellationToken cancellationToken)
    {
        var cluster = await clusters.FindAsync(name, cancellationToken);
        if (cluster is null || !caller.Sees(cluster))
        {
            return (null, null, Problems.NotFound($"A cluster named '{name}'"));
        }

        var record = (await clusters.GetNodesAsync(cluster.Id, cancellationToken)).FirstOrDefault(n => n.Name == node);
        return record is null ? (cluster, null, Problems.NotFound($"A node '{node}' in cluster '{name}'")) : (cluster, record, null);
    }
}
