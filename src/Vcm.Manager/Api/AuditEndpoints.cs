using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Manager.Auth;
using Vcm.Manager.Http;
using Vcm.Store.Audit;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>GET /api/v1/audit: the audit trail — every entry for the provider, its tenant's users' for a tenant-admin.</summary>
public static class AuditEndpoints
{
    public static void MapAudit(this RouteGroupBuilder api) =>
        api.MapGet("/audit", ListAsync).WithName("listAudit").WithTags("audit").Produces<IReadOnlyList<AuditView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The audit trail, oldest first (since=TIME or a duration like 24h; tenant=NAME; limit, the newest kept).");

    private static async Task<IResult> ListAsync(
        string? tenant, string? since, int? limit, Caller caller, AuditStore audit, TenancyStore tenancy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var now = clock.GetUtcNow();
        var from = now.AddDays(-1);
        if (since is not null)
        {
            if (DurationText.TryParse(since, out var back) && back > TimeSpan.Zero && back <= TimeSpan.FromDays(36500))
            {
                from = now - back;
            }
            else if (DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                from = at;
            }
            else
            {
                problems.Add(new Problem("since", "must be a time like 2026-12-01T09:00Z or a duration back from now like 24h or 7d"));
            }
        }

        if (limit is < 1 or > 10_000)
        {
            problems.Add(new Problem("limit", "must be from 1 to 10000"));
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The audit query is not valid");
        }

        var tenants = (await tenancy.ListTenantsAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Name);
        string? tenantId = caller.IsProvider ? null : caller.TenantId;
        if (tenant is not null)
        {
            var found = tenants.FirstOrDefault(t => t.Value == tenant).Key;
            if (found is null || !caller.SeesTenant(found))
            {
                return Problems.NotFound($"A tenant named '{tenant}'");
            }

            tenantId = found;
        }

        var entries = await audit.ListAsync(tenantId, from.ToUnixTimeMilliseconds(), limit ?? 1000, cancellationToken);
        return Results.Ok(entries.Select(a => new AuditView(
            DateTimeOffset.FromUnixTimeMilliseconds(a.AtMs), a.Actor, a.ActorKind, a.TenantId is null ? null : tenants.GetValueOrDefault(a.TenantId),
            a.Action, a.Resource, a.Address, a.Status, a.Detail)).ToList());
    }
}
