using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Text;
using Vcm.Manager.Admission;
using Vcm.Manager.Auth;
using Vcm.Manager.Controllers;
using Vcm.Manager.Http;
using Vcm.Store.Clusters;
using Vcm.Store.Moves;
using Vcm.Store.Records;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/clusters/{name}/nodes/{node}/migrate and /migrations: live migration of a running node to another host, or to another site the cluster spans.</summary>
public static class MigrationEndpoints
{
    private const int ListLimit = 200;

    public static void MapMigrations(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/clusters").WithTags("clusters");
        group.MapPost("/{name}/nodes/{node}/migrate", MigrateAsync).WithName("migrateNode").Produces<MigrationView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Live-migrate a Ready cluster's node to another host of the site, or (to: SITE or SITE/HOST) a worker to another site the cluster spans, over the cluster's VPN (the provider only). Admitted against the calendar: the host must be ready, other than the node's, with room through the rest of the window — at another site, that site admits it when the reconcile asks, and a refusal there ends the migration failed with its reason; else 409 listing every reason. The cluster's reconcile moves it; follow it at the Location.");
        group.MapGet("/{name}/migrations", ListAsync).WithName("listMigrations").Produces<IReadOnlyList<MigrationView>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The cluster's node migrations, newest first.");
        group.MapGet("/{name}/migrations/{id}", GetAsync).WithName("getMigration").Produces<MigrationView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One node migration: its state and what QEMU measured (downtime, total time, bytes), or why it failed.");
    }

    private static async Task<IResult> MigrateAsync(
        string name, string node, MigrateRequest? request, Caller caller, ClusterChanges changes, ClusterController controller,
        ClusterStore clusters, MigrationStore migrations, CancellationToken cancellationToken)
    {
        var found = await clusters.FindAsync(name, cancellationToken);
        if (found is null || !caller.Sees(found))
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        switch (await changes.MigrateAsync(name, node, request ?? new MigrateRequest(null), caller.Name, cancellationToken))
        {
            case ChangeOutcome.MigrationAdmitted admitted:
                controller.Trigger(admitted.Cluster.Id);
                var view = (await ViewsAsync([admitted.Migration], name, migrations, cancellationToken))[0];
                return Results.Accepted($"/api/v1/clusters/{Uri.EscapeDataString(name)}/migrations/{view.Id}", view);
            case ChangeOutcome.NodeNotFound:
                return Problems.NotFound($"A node named '{node}' in cluster '{name}'");
            case ChangeOutcome.NotFound:
                return Problems.Conflict($"Cluster '{name}' is not live at this site; only a Ready cluster's nodes can be moved.");
            case ChangeOutcome.Invalid invalid:
                return Problems.Invalid(invalid.Problems, "The migration request is not valid");
            case ChangeOutcome.Refused refused:
                return Problems.Conflict($"Node '{node}' of cluster '{name}' cannot be moved to '{request?.To}' now: " +
                    string.Join("; ", refused.Problems.Select(p => p.Message)) + ".", refused.Problems);
            case ChangeOutcome.Conflict conflict:
                return Problems.Conflict(char.ToUpperInvariant(conflict.Reason[0]) + conflict.Reason[1..] + ".");
            default:
                throw new InvalidOperationException("unknown migration outcome");
        }
    }

    private static async Task<IResult> ListAsync(string name, Caller caller, ClusterStore clusters, MigrationStore migrations, CancellationToken cancellationToken)
    {
        var found = await clusters.FindAsync(name, cancellationToken);
        if (found is null || !caller.Sees(found))
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        return Results.Ok(await ViewsAsync(await migrations.ListAsync(found.Id, ListLimit, cancellationToken), name, migrations, cancellationToken));
    }

    private static async Task<IResult> GetAsync(string name, string id, Caller caller, ClusterStore clusters, MigrationStore migrations, CancellationToken cancellationToken)
    {
        var found = await clusters.FindAsync(name, cancellationToken);
        if (found is null || !caller.Sees(found))
        {
            return Problems.NotFound($"A cluster named '{name}'");
        }

        return await migrations.GetAsync(found.Id, id, cancellationToken) is { } migration
            ? Results.Ok((await ViewsAsync([migration], name, migrations, cancellationToken))[0])
            : Problems.NotFound($"A migration '{id}' of cluster '{name}'");
    }

    private static async Task<IReadOnlyList<MigrationView>> ViewsAsync(
        IReadOnlyList<MigrationRecord> records, string cluster, MigrationStore migrations, CancellationToken cancellationToken)
    {
        var names = await migrations.HostNamesAsync(records.SelectMany(m => new[] { m.FromHostId, m.ToHostId }).OfType<string>(), cancellationToken);
        return records.Select(m => new MigrationView(
            m.Id, cluster, m.Node, Place(names, m.FromHostId, m.FromSite, m.RemoteHost), Place(names, m.ToHostId, m.ToSite, m.RemoteHost),
            EnumText.Lower(m.State), m.Reason, m.RequestedBy, DateTimeOffset.FromUnixTimeMilliseconds(m.RequestedMs),
            At(m.StartedMs), At(m.EndedMs), m.TotalMs, m.DowntimeMs, m.MemoryBytes, m.DiskBytes, m.Error)).ToList();
    }

    /// <summary>A host of this site by its name; one of another site as SITE/HOST, or SITE while that site has not said which host.</summary>
    private static string Place(IReadOnlyDictionary<string, string> names, string? hostId, string? site, string? remoteHost) =>
        hostId is not null ? names.GetValueOrDefault(hostId, hostId)
        : site is null ? "-"
        : remoteHost is null ? site : $"{site}/{remoteHost}";

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}
