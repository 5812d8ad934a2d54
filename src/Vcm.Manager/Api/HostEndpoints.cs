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

    public static void MapHostsAndSites(this RouteGroupBuilder api)
    {
        api.MapGet("/hosts", ListHostsAsync).WithName("listHosts").WithTags("hosts").Produces<IReadOnlyList<HostView>>()
            .WithSummary("The site's hosts with their state and the capacity free right now.");
        api.MapPost("/hosts/tokens", CreateJoinTokenAsync).WithName("createJoinToken").WithTags("hosts").Produces<JoinTokenView>(StatusCodes.Status201Created)
            .WithSummary("A token with which an agent on a new host joins the site (valid for 24 hours).");
        api.MapGet("/site/ca", (Tls.SiteAuthority authority) => Results.Ok(new SiteCaView(authority.CertificatePem, authority.Fingerprint)))
            .WithName("getSiteCa").WithTags("sites").Produces<SiteCaView>()
            .WithSummary("The site's CA certificate, which issues its managers' and agents' certificates; check it against the fingerprint in a join or peer token before trusting it.");
        api.MapGet("/sites", ListSitesAsync).WithName("listSites").WithTags("sites").Produces<IReadOnlyList<SiteView>>()
            .WithSummary("This site and its peers.");
    }

    private static async Task<IResult> ListHostsAsync(
        HttpContext http, int? limit, string? cursor, HostStore hosts, SiteStore sites, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Paging.Check(limit, cursor) is { Count: > 0 } problems)
        {
            return Problems.Invalid(problems, "The list query is not valid");
        }

        var used = await hosts.UsageAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        var siteNames = (await sites.ListAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.Name);
        var list = Paging.Page(http, await hosts.ListAsync(null, cancellationToken), h => h.Name + "\u0000" + h.Id, limit, cursor);
        return Results.Ok(list.Select(h => Views.Host(h, siteNames.GetValueOrDefault(h.SiteId, "?"), used.GetValueOrDefault(h.Id))).ToList());
    }

    private static async Task<IResult> CreateJoinTokenAsync(
        HttpRequest request, TokenStore tokens, Tls.SiteAuthority authority, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var secret = TokenStore.NewSecret("vcmjoin_");
        var expires = now + JoinTokenLifetime;
        await tokens.AddAsync("join", secret, now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds(), cancellationToken);
        var joinUrl = $"{request.Scheme}://{request.Host}";
        return Results.Created("/api/v1/hosts", new JoinTokenView(Drivers.Tls.SiteToken.Format(secret, authority.Fingerprint), expires, joinUrl));
    }

    private static async Task<IResult> ListSitesAsync(SiteStore sites, HostStore hosts, Configuration.LocalSite local, CancellationToken cancellationToken)
    {
        var all = await hosts.ListAsync(null, cancellationToken);
        var list = await sites.ListAsync(cancellationToken);
        return Results.Ok(list.Select(s => new SiteView(s.Name, s.IsLocal ? local.Url : s.Url, s.IsLocal, all.Count(h => h.SiteId == s.Id), s.VniFirst, s.VniLast)).ToList());
    }
}
