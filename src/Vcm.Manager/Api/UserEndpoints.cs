using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Auth;
using Vcm.Manager.Http;
using Vcm.Store.Records;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>
/// /api/v1/users: a tenant-admin manages its tenant's users, the provider every user. Nobody gives a role above its
/// own, and only the provider makes providers. A user another tenant-admin cannot manage is answered 404.
/// </summary>
public static class UserEndpoints
{
    public static void MapUsers(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("users");
        group.MapPost("/", CreateAsync).WithName("createUser").Produces<UserView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Adds a user to a tenant with a role, and its first SSH keys.");
        group.MapGet("/", ListAsync).WithName("listUsers").Produces<IReadOnlyList<UserView>>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The users the caller manages (tenant=NAME: of one tenant).");
        group.MapGet("/{name}", GetAsync).WithName("getUser").Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One user.");
        group.MapPut("/{name}/role", SetRoleAsync).WithName("setUserRole").Produces<UserView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Sets a user's role (If-Match: its ETag).");
        group.MapPut("/{name}/password", SetPasswordAsync).WithName("setUserPassword").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Sets (null: removes) a user's password for signing in with POST /api/v1/session: a user its own, a tenant-admin or the provider those it manages.");
        group.MapDelete("/{name}", DeleteAsync).WithName("removeUser").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Removes a user with its keys and tokens; its clusters stay its tenant's.");
    }

    private static async Task<IResult> CreateAsync(
        UserCreateRequest? request, Caller caller, TenancyStore tenancy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (!AccountName.IsValid(request?.Name))
        {
            problems.Add(new Problem("name", AccountName.Rule));
        }

        if (!Roles.TryParse(request?.Role, out var role))
        {
            problems.Add(new Problem("role", $"must be one of {Roles.NameList}"));
        }

        var keys = SshPublicKey.ParseAll(request?.SshKeys, "sshKeys", problems);
        TenantRecord? tenant = null;
        var tenantName = request?.Tenant ?? (caller.IsProvider ? null : (await tenancy.GetTenantAsync(caller.TenantId!, cancellationToken))?.Name);
        if (tenantName is not null)
        {
            tenant = await tenancy.FindTenantAsync(tenantName, cancellationToken);
            if (tenant is null || !caller.SeesTenant(tenant.Id))
            {
                problems.Add(new Problem("tenant", $"there is no tenant '{tenantName}'"));
            }
        }

        if (problems.Count == 0)
        {
            if (role == Role.Provider && tenant is not null)
            {
                problems.Add(new Problem("tenant", "a provider belongs to no tenant; leave tenant out"));
            }
            else if (role != Role.Provider && tenant is null)
            {
                problems.Add(new Problem("tenant", $"is required for a {Roles.Name(role)}"));
            }
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The user is not valid");
        }

        if (!caller.Role.Holds(role) || (role == Role.Provider && !caller.IsProvider))
        {
            return Problems.Forbidden($"A {Roles.Name(caller.Role)} cannot make a {Roles.Name(role)}.");
        }

        var user = await tenancy.CreateUserAsync(request!.Name!, tenant?.Id, role, keys, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        return user is null
            ? Problems.Conflict($"A user named '{request.Name}' exists already.")
            : Results.Created($"/api/v1/users/{user.Name}", TenancyViews.User(user, tenant?.Name, keys.Count));
    }

    private static async Task<IResult> SetPasswordAsync(
        string name, PasswordRequest? request, Caller caller, TenancyStore tenancy, Passwords passwords, CancellationToken cancellationToken)
    {
        var user = await tenancy.FindUserAsync(name, cancellationToken);
        if (user is null || !caller.SeesUser(user))
        {
            return Problems.NotFound($"A user named '{name}'");
        }

        if (request?.Password is { } password && !PasswordRule.IsValid(password))
        {
            return Problems.Invalid([new Problem("password", PasswordRule.Rule)], "The password is not valid");
        }

        if (user.Id != caller.Id && !(Roles.TryParse(user.Role, out var role) && caller.Role.Holds(role)))
        {
            return Problems.Forbidden($"A {Roles.Name(caller.Role)} cannot set the password of a {user.Role}.");
        }

        await tenancy.SetPasswordHashAsync(user.Id, request?.Password is { } given ? passwords.Hash(user, given) : null, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, string? tenant, int? limit, string? cursor, Caller caller, TenancyStore tenancy, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, cursor) is { Count: > 0 } problems)
        {
            return Problems.Invalid(problems, "The list query is not valid");
        }

        string? tenantId = caller.TenantId;
        if (tenant is not null)
        {
            var found = await tenancy.FindTenantAsync(tenant, cancellationToken);
            if (found is null || !caller.SeesTenant(found.Id))
            {
                return Problems.NotFound($"A tenant named '{tenant}'");
            }

            tenantId = found.Id;
        }

        var users = Paging.Page(http, await tenancy.ListUsersAsync(caller.IsProvider && tenant is null ? null : tenantId, cancellationToken), u => u.Name, limit, cursor);
        var names = (await tenancy.ListTenantsAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Name);
        var views = new List<UserView>(users.Count);
        foreach (var user in users)
        {
            views.Add(TenancyViews.User(user, user.TenantId is null ? null : names.GetValueOrDefault(user.TenantId), (await tenancy.ListKeysAsync(user.Id, cancellationToken)).Count));
        }

        return Results.Ok(views);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string name, Caller caller, TenancyStore tenancy, CancellationToken cancellationToken)
    {
        var user = await tenancy.FindUserAsync(name, cancellationToken);
        if (user is null || !caller.SeesUser(user))
        {
            return Problems.NotFound($"A user named '{name}'");
        }

        Preconditions.SetETag(http, user.Version);
        return Results.Ok(await ViewAsync(user, tenancy, cancellationToken));
    }

    private static async Task<IResult> SetRoleAsync(
        HttpContext http, string name, RoleRequest? request, Caller caller, TenancyStore tenancy, Authenticator authenticator, CancellationToken cancellationToken)
    {
        var user = await tenancy.FindUserAsync(name, cancellationToken);
        if (user is null || !caller.ManagesUser(user))
        {
            return Problems.NotFound($"A user named '{name}'");
        }

        if (Preconditions.Check(http.Request, user.Version, $"User '{name}'") is { } stale)
        {
            return stale;
        }

        if (!Roles.TryParse(request?.Role, out var role))
        {
            return Problems.Invalid([new Problem("role", $"must be one of {Roles.NameList}")], "The role is not valid");
        }

        if (!caller.Role.Holds(role) || (role == Role.Provider && !caller.IsProvider))
        {
            return Problems.Forbidden($"A {Roles.Name(caller.Role)} cannot make anyone {Roles.Name(role)}.");
        }

        if ((role == Role.Provider) != (user.TenantId is null))
        {
            return Problems.Invalid([new Problem("role", role == Role.Provider
                ? $"'{name}' belongs to a tenant; a provider belongs to none (add a new user)"
                : $"'{name}' is a provider and belongs to no tenant (add a new user to a tenant)")], "The role is not valid");
        }

        var changed = await tenancy.SetRoleAsync(name, role, cancellationToken, user.Version);
        authenticator.Forget();
        if (changed is null)
        {
            return Problems.Conflict($"User '{name}' changed or went away while its role was being set; read it again and retry.");
        }

        Preconditions.SetETag(http, changed.Version);
        return Results.Ok(await ViewAsync(changed, tenancy, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(string name, Caller caller, TenancyStore tenancy, Authenticator authenticator, CancellationToken cancellationToken)
    {
        var user = await tenancy.FindUserAsync(name, cancellationToken);
        if (user is null || !caller.ManagesUser(user))
        {
            return Problems.NotFound($"A user named '{name}'");
        }

        if (user.TenantId is null && (await tenancy.ListUsersAsync(null, cancellationToken)).Count(u => u.TenantId is null && u.Role == Roles.Name(Role.Provider)) <= 1)
        {
            return Problems.Conflict($"'{name}' is the site's last provider.");
        }

        await tenancy.DeleteUserAsync(user.Id, cancellationToken);
        authenticator.Forget();
        return Results.NoContent();
    }

    private static async Task<UserView> ViewAsync(UserRecord user, TenancyStore tenancy, CancellationToken cancellationToken)
    {
        var tenant = user.TenantId is null ? null : await tenancy.GetTenantAsync(user.TenantId, cancellationToken);
        return TenancyViews.User(user, tenant?.Name, (await tenancy.ListKeysAsync(user.Id, cancellationToken)).Count);
    }
}
