using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Vcm.Drivers.Tls;
using Vcm.Manager.Tls;
using Vcm.Domain.Tenancy;
using Vcm.Store.Auth;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Auth;

/// <summary>
/// Finds who presents a bearer token: a user (by an API token, the admin token included), an agent (by its key) or
/// a peer site (by its key and the X-Vcm-Site header), or a browser's session cookie (a user's session only) — agents and peers only where the route admits them. A user's sign-in is
/// remembered for at most a second, so a revoked token or a changed role takes effect within a second everywhere
/// (and at once on the manager that made the change).
/// </summary>
public sealed class Authenticator(
    TokenStore tokens, TenancyStore tenancy, HostStore hosts, PeerStore peers, SiteAuthority authority, Peers.PeerAuthorities peerAuthorities, TimeProvider clock)
{
    private static readonly TimeSpan Remember = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (Caller Caller, DateTimeOffset Until)> _users = new(StringComparer.Ordinal);

    public async Task<Caller?> AuthenticateAsync(HttpRequest request, Access access, CancellationToken cancellationToken)
    {
        if (WebSessions.SecretOf(request) is { } session)
        {
            // a browser's session cookie signs in only a user, and only as a session (not an API token put in a cookie)
            return await UserAsync(session, cancellationToken, sessionOnly: true);
        }

        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (token.Length is 0 or > 512)
        {
            return null;
        }

        if (access.Peers)
        {
            var site = request.Headers[Peers.FederationClient.SiteHeader].ToString();
            if (site.Length is > 0 and <= 64 && await peers.AuthenticateAsync(site, token, cancellationToken) is { } peer && PeerProvedOverTls(request, peer))
            {
                return new Caller { Kind = CallerKind.Peer, Id = peer.Id, Name = peer.Name, Peer = peer };
            }
        }

        if (access.Agents && await hosts.FindAgentIdByKeyAsync(token, cancellationToken) is { } agent && AgentProvedOverTls(request, agent))
        {
            return new Caller { Kind = CallerKind.Agent, Id = agent, Name = agent };
        }

        // a user on a route for agents or peers is known (and refused 403), not a failed sign-in
        return await UserAsync(token, cancellationToken);
    }

    /// <summary>
    /// Over TLS an agent must also show the certificate this site's CA issued to it (its id as common name); plain
    /// HTTP reaches the manager only on loopback, where the key alone is taken.
    /// </summary>
    public bool AgentProvedOverTls(HttpRequest request, string agentId) =>
        !request.IsHttps
        || (request.HttpContext.Connection.ClientCertificate is { } certificate
            && SiteTrust.AcceptsClient(certificate, authority.Certificate, CertificateRole.Agent)
            && SiteTrust.CommonName(certificate) == agentId);

    /// <summary>Over TLS a peer must show a manager certificate of the CA pinned for it when the sites were peered.</summary>
    private bool PeerProvedOverTls(HttpRequest request, Store.Records.PeerRecord peer) =>
        !request.IsHttps
        || peer.CaCertificate is null
        || SiteTrust.AcceptsClient(request.HttpContext.Connection.ClientCertificate, peerAuthorities.For(peer), CertificateRole.Manager);

    /// <summary>Forgets every remembered sign-in (after a token is revoked, a user removed or a role changed here).</summary>
    public void Forget() => _users.Clear();

    private async Task<Caller?> UserAsync(string token, CancellationToken cancellationToken, bool sessionOnly = false)
    {
        var now = clock.GetUtcNow();
        var hash = TokenStore.Hash(token);
        if (_users.TryGetValue(hash, out var known) && known.Until > now)
        {
            return sessionOnly && known.Caller.TokenKind != TokenStore.SessionKind ? null : known.Caller;
        }

        var record = await tokens.FindValidAsync(token, now.ToUnixTimeMilliseconds(), cancellationToken);
        if (record?.UserId is null || (sessionOnly && record.Kind != TokenStore.SessionKind) || await tenancy.GetUserAsync(record.UserId, cancellationToken) is not { } user
            || !Roles.TryParse(user.Role, out var role))
        {
            _users.TryRemove(hash, out _);
            return null;
        }

        var caller = new Caller { Kind = CallerKind.User, Id = user.Id, Name = user.Name, Role = role, TenantId = user.TenantId, TokenId = record.Id, TokenKind = record.Kind };
        _users[hash] = (caller, now + Remember);
        return caller;
    }
}
