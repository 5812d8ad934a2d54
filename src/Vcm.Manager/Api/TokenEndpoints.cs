using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Auth;
using Vcm.Manager.Http;
using Vcm.Store.Auth;
using Vcm.Store.Records;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>
/// /api/v1/tokens: API tokens, shown once and kept as hashes. Anyone makes and revokes its own; a tenant-admin or the
/// provider also for the users it manages. A revoked token is refused within a second on every manager of the site.
/// </summary>
public static class TokenEndpoints
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(90);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    public static void MapTokens(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("tokens");
        group.MapPost("/", CreateAsync).WithName("createToken").Produces<TokenView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Makes an API token (for the caller, or for a user it manages); the secret is in this answer only.");
        group.MapGet("/", ListAsync).WithName("listTokens").Produces<IReadOnlyList<TokenView>>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The caller's tokens (user=NAME: a managed user's; all=true: every token the caller manages).");
        group.MapDelete("/{id}", RevokeAsync).WithName("revokeToken").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Revokes a token.");
    }

    private static async Task<IResult> CreateAsync(
        TokenCreateRequest? request, Caller caller, TenancyStore tenancy, TokenStore tokens, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var lifetime = DefaultLifetime as TimeSpan?;
        if (request?.Expires is "none" or "never")
        {
            lifetime = null;
        }
        else if (request?.Expires is not null)
        {
            if (DurationText.TryParse(request.Expires, out var asked) && asked > TimeSpan.Zero && asked <= MaxLifetime)
            {
                lifetime = asked;
            }
            else
            {
                problems.Add(new Problem("expires", "must be a duration from 1m to 3650d, like 30d or 12h, or none"));
            }
        }

        CheckName(request?.Name, problems);

        var owner = await OwnerAsync(request?.User, caller, tenancy, cancellationToken);
        if (owner is null)
        {
            return Problems.NotFound($"A user named '{request?.User}'");
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The token request is not valid");
        }

        var now = clock.GetUtcNow();
        var (record, secret) = await tokens.CreateUserTokenAsync(
            owner.Id, request?.Name, now.ToUnixTimeMilliseconds(), lifetime is { } l ? (now + l).ToUnixTimeMilliseconds() : null, cancellationToken);
        return Results.Created($"/api/v1/tokens/{record.Id}", TenancyViews.Token(record, owner.Name, secret));
    }

    /// <summary>A token's name: at most 100 characters, none a control character.</summary>
    internal static void CheckName(string? name, List<Problem> problems)
    {
        if (name is not null && (name.Length > 100 || name.Any(char.IsControl)))
        {
            problems.Add(new Problem("name", "must be at most 100 characters with no control characters"));
        }
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, string? user, bool? all, int? limit, string? cursor, Caller caller, TenancyStore tenancy, TokenStore tokens, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, cursor) is { Count: > 0 } problems)
        {
            return Problems.Invalid(problems, "The list query is not valid");
        }

        List<UserRecord> owners;
        if (all == true)
        {
            owners = (await tenancy.ListUsersAsync(caller.IsProvider ? null : caller.TenantId, cancellationToken)).Where(caller.SeesUser).ToList();
        }
        else
        {
            var owner = await OwnerAsync(user, caller, tenancy, cancellationToken);
            if (owner is null)
            {
                return Problems.NotFound($"A user named '{user}'");
            }

            owners = [owner];
        }

        var names = owners.ToDictionary(u => u.Id, u => u.Name);
        var list = await tokens.ListUserTokensAsync(names.Keys.ToList(), cancellationToken);
        return Results.Ok(Paging.Page(http, list, t => t.CreatedMs.ToString("D15", System.Globalization.CultureInfo.InvariantCulture) + t.Id, limit, cursor, descending: true).Select(t => TenancyViews.Token(t, names[t.UserId!])).ToList());
    }

    private static async Task<IResult> RevokeAsync(
        string id, Caller caller, TenancyStore tenancy, TokenStore tokens, Authenticator authenticator, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(id, cancellationToken);
        var owner = token?.UserId is null ? null : await tenancy.GetUserAsync(token.UserId, cancellationToken);
        if (owner is null || !caller.SeesUser(owner))
        {
            return Problems.NotFound($"A token '{id}'");
        }

        if (token!.Kind == "admin")
        {
            return Problems.Conflict("This is the site's admin token (DATA/admin.token), registered again at every start: to change it, remove that file and restart the manager.");
        }

        await tokens.RevokeAsync(id, cancellationToken);
        authenticator.Forget();
        return Results.NoContent();
    }

    /// <summary>The caller, or the named user when the caller manages it; null when it does not exist for the caller.</summary>
    private static async Task<UserRecord?> OwnerAsync(string? name, Caller caller, TenancyStore tenancy, CancellationToken cancellationToken)
    {
        if (name is null || name == caller.Name)
        {
            return await tenancy.GetUserAsync(caller.Id, cancellationToken);
        }

        var user = await tenancy.FindUserAsync(name, cancellationToken);
        return user is not null && caller.ManagesUser(user) ? user : null;
    }
}
