using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Manager.Http;
using Vcm.Store.Auth;
using Vcm.Store.Hosts;
using Vcm.Store.Sites;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/hosts and /api/v1/sites.</summary>
public static class HostEndpoints
{
    public static readonly TimeSpan JoinTokenLifetime = TimeSpan.FromHours(24);

    private static readonly TimeSpan MaxJoinTokenLifetime = TimeSpan.FromDays(30);

    public static void MapHostsAndSites(this RouteGroupBuilder api)
    {
        api.MapGet("/hosts", ListHostsAsync).WithName("listHosts").WithTags("hosts").Produces<IReadOnlyList<HostView>>()
            .WithSummary("The site's hosts with their state and the capacity free right now.");
        api.MapPost("/hosts/tokens", CreateJoinTokenAsync).WithName("createJoinToken").WithTags("hosts").Produces<JoinTokenView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("A token with which agents on new hosts join the site (24 hours unless asked otherwise, at most 30 days); it carries the site CA's fingerprint.");
        api.MapGet("/hosts/tokens", ListJoinTokensAsync).WithName("listJoinTokens").WithTags("hosts").Produces<IReadOnlyList<JoinTokenView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The site's join tokens, without their secrets (expired ones until revoked).");
        api.MapDelete("/hosts/tokens/{id}", RevokeJoinTokenAsync).WithName("revokeJoinToken").WithTags("hosts").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Revokes a join token: no agent joins with it any more (agents that joined keep their keys).");
        api.MapGet("/site/ca", (Tls.SiteAuthority authority) => Results.Ok(new SiteCaView(authority.CertificatePem, authority.Fingerprint)))
            .WithName("getSiteCa").WithTags("sites").Produces<SiteCaView>()
            .WithSummary("The site's CA certificate, which issues its managers' and agents' certificates; check it against the fingerprint in a join or peer token before trusting it.");
        api.MapGet("/sites", ListSitesAsync).WithName("listSites").WithTags("sites").Produces<IReadOnlyList<SiteView>>()
            .WithSummary("This site and its peers.");
    }

    private static async Task<IResult> ListHostsAsync(
        HttpContext http, int? limit, string? cursor, HostStore hosts, SiteStore sites, Hosts.HostDrains drains, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, cursor) is { Count: > 0 } problems)
        {
            return Problems.Invalid(problems, "The list query is not valid");
        }

        var used = await hosts.UsageAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        var siteNames = (await sites.ListAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.Name);
        var list = Paging.Page(http, await hosts.ListAsync(null, cancellationToken), h => h.Name + "\u0000" + h.Id, limit, cursor);
        var views = new List<HostView>(list.Count);
        foreach (var h in list)
        {
            var view = Views.Host(h, siteNames.GetValueOrDefault(h.SiteId, "?"), used.GetValueOrDefault(h.Id));
            views.Add(h.State == Domain.Hosts.HostState.Draining ? view with { Drain = await drains.ProgressAsync(h.Id, cancellationToken) } : view);
        }

        return Results.Ok(views);
    }

    private static async Task<IResult> CreateJoinTokenAsync(
        JoinTokenRequest? body, HttpRequest request, TokenStore tokens, Tls.SiteAuthority authority, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Domain.Common.Problem>();
        var lifetime = JoinTokenLifetime;
        if (body?.Expires is { } expires)
        {
            if (Domain.Common.DurationText.TryParse(expires, out var asked) && asked >= TimeSpan.FromMinutes(1) && asked <= MaxJoinTokenLifetime)
            {
                lifetime = asked;
            }
            else
            {
                problems.Add(new Domain.Common.Problem("expires", "must be a duration from 1m to 30d, like 2h or 7d"));
            }
        }

        if (body?.Name is { } name && (name.Length > 100 || name.Any(char.IsControl)))
        {
            problems.Add(new Domain.Common.Problem("name", "must be at most 100 characters with no control characters"));
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The join token request is not valid");
        }

        var now = clock.GetUtcNow();
        var (record, secret) = await tokens.CreateJoinTokenAsync(body?.Name, now.ToUnixTimeMilliseconds(), (now + lifetime).ToUnixTimeMilliseconds(), cancellationToken);
        var joinUrl = $"{request.Scheme}://{request.Host}";
        return Results.Created($"/api/v1/hosts/tokens/{record.Id}", JoinToken(record) with
        {
            Token = Drivers.Tls.SiteToken.Format(secret, authority.Fingerprint),
            JoinUrl = joinUrl,
        });
    }

    private static async Task<IResult> ListJoinTokensAsync(HttpContext http, int? limit, string? cursor, TokenStore tokens, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, cursor) is { Count: > 0 } problems)
        {
            return Problems.Invalid(problems, "The list query is not valid");
        }

        var list = Paging.Page(http, await tokens.ListJoinTokensAsync(cancellationToken), t => t.CreatedMs.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + t.Id, limit, cursor);
        return Results.Ok(list.Select(JoinToken).ToList());
    }

    private static async Task<IResult> RevokeJoinTokenAsync(string id, TokenStore tokens, CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(id, TokenStore.JoinKind, cancellationToken) ? Results.NoContent() : Problems.NotFound($"A join token '{id}'");

    public static JoinTokenView JoinToken(Store.Records.TokenRecord record) =>
        new(record.Id, record.Name, DateTimeOffset.FromUnixTimeMilliseconds(record.CreatedMs), DateTimeOffset.FromUnixTimeMilliseconds(record.ExpiresMs ?? 0));

    private static async Task<IResult> ListSitesAsync(SiteStore sites, HostStore hosts, Configuration.LocalSite local, CancellationToken cancellationToken)
    {
        var all = await hosts.ListAsync(null, cancellationToken);
        var list = await sites.ListAsync(cancellationToken);
        return Results.Ok(list.Select(s => new SiteView(s.Name, s.IsLocal ? local.Url : s.Url, s.IsLocal, all.Count(h => h.SiteId == s.Id), s.VniFirst, s.VniLast)).ToList());
    }
}
