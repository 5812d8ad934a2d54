using Microsoft.AspNetCore.Http;
using Vcm.Domain.Tenancy;
using Vcm.Store.Records;

namespace Vcm.Manager.Auth;

/// <summary>
/// The authenticated caller of a request, put there by <see cref="AccessMiddleware"/>; a handler takes it as a
/// parameter. What a user may do with one resource (a cluster, a user) is answered here, in one place.
/// </summary>
public sealed record Caller
{
    private const string Item = "vcm.caller";

    public required CallerKind Kind { get; init; }

    /// <summary>A user's id and name (for agents and peers: their id and name).</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>A user's role (agents and peers have none: reader, which no user route below reader takes).</summary>
    public Role Role { get; init; } = Role.Reader;

    /// <summary>A user's tenant; null for a provider, an agent or a peer.</summary>
    public string? TenantId { get; init; }

    /// <summary>The token a user signed in with.</summary>
    public string? TokenId { get; init; }

    /// <summary>The kind of that token: user (an API token), admin, or session (a browser's).</summary>
    public string? TokenKind { get; init; }

    /// <summary>A peer site's record.</summary>
    public PeerRecord? Peer { get; init; }

    public bool IsProvider => Kind == CallerKind.User && Role == Role.Provider;

    /// <summary>Whether the tenant exists for this caller at all: the provider sees every tenant, a user its own.</summary>
    public bool SeesTenant(string tenantId) =>
        IsProvider || (Kind == CallerKind.User && TenantId is not null && tenantId == TenantId);

    /// <summary>Whether the cluster exists for this caller at all (otherwise it is answered 404, so names do not leak).</summary>
    public bool Sees(ClusterRecord cluster) => SeesOwned(cluster.TenantId);

    /// <summary>Whether the caller may change or delete the cluster, or reach its nodes as root.</summary>
    public bool Manages(ClusterRecord cluster) => ManagesOwned(cluster.TenantId, cluster.CreatedBy);

    /// <summary>Whether something a tenant owns (a cluster, a series) exists for this caller (the provider's own: only for the provider).</summary>
    public bool SeesOwned(string? tenantId) =>
        IsProvider || (tenantId is not null && SeesTenant(tenantId));

    /// <summary>Whether the caller may change or delete what <paramref name="createdBy"/> made for <paramref name="tenantId"/>.</summary>
    public bool ManagesOwned(string? tenantId, string? createdBy) =>
        IsProvider
        || (SeesOwned(tenantId) && (Role.Holds(Role.TenantAdmin) || (Role.Holds(Role.Member) && createdBy == Id)));

    /// <summary>Whether the caller manages this user: a provider every user, a tenant-admin its tenant's.</summary>
    public bool ManagesUser(UserRecord user) =>
        IsProvider || (Kind == CallerKind.User && Role == Role.TenantAdmin && user.TenantId == TenantId);

    /// <summary>Whether the caller may see this user at all (itself, or one it manages).</summary>
    public bool SeesUser(UserRecord user) => user.Id == Id || ManagesUser(user);

    /// <summary>Minimal APIs bind a handler's <see cref="Caller"/> parameter from the request.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Items.TryGetValue(Item, out var caller) ? caller as Caller : null);

    public void AttachTo(HttpContext context) => context.Items[Item] = this;
}
