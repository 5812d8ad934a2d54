using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Admission;
using Vcm.Manager.Auth;
using Vcm.Manager.Http;
using Vcm.Store.Clusters;
using Vcm.Store.Records;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/tenants: the provider makes tenants and sets their quotas; a tenant's users see their own tenant.</summary>
public static class TenantEndpoints
{
    public static void MapTenants(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants").WithTags("tenants");
        group.MapPost("/", CreateAsync).WithName("createTenant").Produces<TenantView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Makes a tenant, with a quota (provider).");
        group.MapGet("/", ListAsync).WithName("listTenants").Produces<IReadOnlyList<TenantView>>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Tenants: every one for the provider, one's own for its users.");
        group.MapGet("/{name}", GetAsync).WithName("getTenant").Produces<TenantView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One tenant with its quota.");
        group.MapPut("/{name}/quota", SetQuotaAsync).WithName("setTenantQuota").Produces<TenantView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Changes a tenant's quota: the limits named change, \"none\" lifts one (provider).");
        group.MapDelete("/{name}", DeleteAsync).WithName("deleteTenant").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Removes a tenant with its users, their keys and tokens; refused while it owns a live cluster (provider).");
        api.MapGet("/whoami", WhoAmIAsync).WithName("whoAmI").WithTags("users").Produces<WhoAmIView>()
            .WithSummary("Who the token signs in as.");
    }

    private static async Task<IResult> CreateAsync(
        TenantCreateRequest? request, TenancyStore tenancy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (!AccountName.IsValid(request?.Name))
        {
            problems.Add(new Problem("name", AccountName.Rule));
        }

        var quota = TenantQuota.Parse(request?.Quota, TenantQuota.None, "quota", problems);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The tenant is not valid");
        }

        var tenant = await tenancy.CreateTenantAsync(request!.Name!, quota, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        return tenant is null
            ? Problems.Conflict($"A tenant named '{request.Name}' exists already.")
            : Results.Created($"/api/v1/tenants/{tenant.Name}", TenancyViews.Tenant(tenant, [], clock.GetUtcNow(), 0, 0));
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, int? limit, string? cursor, Caller caller, TenancyStore tenancy, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, cursor) is { Count: > 0 } problems)
        {
            return Problems.Invalid(problems, "The list query is not valid");
        }

        var tenants = Paging.Page(http, (await tenancy.ListTenantsAsync(cancellationToken)).Where(t => caller.SeesTenant(t.Id)), t => t.Name, limit, cursor);
        var views = new List<TenantView>(tenants.Count);
        foreach (var tenant in tenants)
        {
            views.Add(await ViewAsync(tenant, tenancy, clock, cancellationToken));
        }

        return Results.Ok(views);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string name, Caller caller, TenancyStore tenancy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = await tenancy.FindTenantAsync(name, cancellationToken);
        if (tenant is null || !caller.SeesTenant(tenant.Id))
        {
            return Problems.NotFound($"A tenant named '{name}'");
        }

        Preconditions.SetETag(http, tenant.Version);
        return Results.Ok(await ViewAsync(tenant, tenancy, clock, cancellationToken));
    }

    private static async Task<IResult> SetQuotaAsync(
        HttpContext http, string name, QuotaRequest? request, TenancyStore tenancy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenant = await tenancy.FindTenantAsync(name, cancellationToken);
        if (tenant is null)
        {
            return Problems.NotFound($"A tenant named '{name}'");
        }

        if (Preconditions.Check(http.Request, tenant.Version, $"Tenant '{name}'") is { } stale)
        {
            return stale;
        }

        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(request?.Quota))
        {
            problems.Add(new Problem("quota", "is required, like nodes=64,vcpus=256,memory=512G (none lifts a limit)"));
        }

        var quota = TenantQuota.Parse(request?.Quota, TenantQuotas.Read(tenant), "quota", problems);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The quota is not valid");
        }

        var now = clock.GetUtcNow();
        var held = await HeldAsync(tenant, tenancy, now, cancellationToken);
        var below = QuotaCheck.Overcommitted(quota, held, now);
        if (below.Count > 0)
        {
            return Problems.OverQuota(name, below, $"The quota would be below what tenant {name} holds already: {string.Join("; ", below)}. Lower it after those reservations end, or delete some.");
        }

        var changed = await tenancy.SetQuotaAsync(name, quota, tenant.Version, cancellationToken);
        if (changed is null)
        {
            return Problems.Conflict($"Tenant '{name}' changed or went away while its quota was being set; read it again and retry.");
        }

        Preconditions.SetETag(http, changed.Version);
        return Results.Ok(await ViewAsync(changed, tenancy, clock, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(string name, TenancyStore tenancy, Authenticator authenticator, CancellationToken cancellationToken)
    {
        var outcome = await tenancy.DeleteTenantAsync(name, cancellationToken);
        authenticator.Forget();
        return outcome switch
        {
            TenantRemoval.NotFound => Problems.NotFound($"A tenant named '{name}'"),
            TenantRemoval.HasLiveClusters => Problems.Conflict($"Tenant '{name}' owns live clusters; delete them first."),
            _ => Results.NoContent(),
        };
    }

    private static async Task<IResult> WhoAmIAsync(Caller caller, TenancyStore tenancy, Configuration.LocalSite site, CancellationToken cancellationToken)
    {
        var tenant = caller.TenantId is null ? null : await tenancy.GetTenantAsync(caller.TenantId, cancellationToken);
        return Results.Ok(new WhoAmIView(caller.Name, tenant?.Name, Roles.Name(caller.Role), site.Name, caller.TokenId));
    }

    private static async Task<TenantView> ViewAsync(TenantRecord tenant, TenancyStore tenancy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var users = await tenancy.ListUsersAsync(tenant.Id, cancellationToken);
        var clusters = await tenancy.QuotaClustersAsync(tenant.Id, QuotaCheck.MonthStart(now).ToUnixTimeMilliseconds(), cancellationToken);
        return TenancyViews.Tenant(tenant, TenantReservations.Of(clusters), now, users.Count, clusters.Count(c => c.Live));
    }

    /// <summary>What the tenant holds from the start of this month on.</summary>
    private static async Task<IReadOnlyList<Reservation>> HeldAsync(TenantRecord tenant, TenancyStore tenancy, DateTimeOffset now, CancellationToken cancellationToken) =>
        TenantReservations.Of(await tenancy.QuotaClustersAsync(tenant.Id, QuotaCheck.MonthStart(now).ToUnixTimeMilliseconds(), cancellationToken));
}
