using System.Text.RegularExpressions;
using Vcm.Api;
using Vcm.Domain.Common;
using System.Security.Cryptography.X509Certificates;
using Vcm.Drivers.Tls;
using Vcm.Manager.Configuration;
using Vcm.Manager.Tls;
using Vcm.Store.Auth;
using Vcm.Store.Federation;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Manager.Peers;

/// <summary>
/// Peering: `vcm peer add` here sends the other site a peer token its admin made, this site's name and URL and the
/// key this site will present; the other site checks the token (once only), keeps the key's hash, and answers with
/// its name and the key it will present here. From then on both sides authenticate every call.
/// </summary>
public sealed partial class PeerService(
    PeerStore peers, SiteStore sites, TokenStore tokens, FederationClient client, LocalSite site, SiteAuthority authority, TimeProvider clock)
{
    public const string TokenKind = "peer";

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public async Task<PeerTokenView> CreateTokenAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = TokenStore.NewSecret("vcmpeer_");
        await tokens.AddAsync(TokenKind, token, now.ToUnixTimeMilliseconds(), (now + TokenLifetime).ToUnixTimeMilliseconds(), cancellationToken);
        return new PeerTokenView(SiteToken.Format(token, authority.Fingerprint), now + TokenLifetime, site.Name, site.Url);
    }

    /// <summary>Checks a peer-add request; every problem at once.</summary>
    public IReadOnlyList<Problem> Validate(PeerAddRequest request)
    {
        var problems = new List<Problem>();
        CheckName(request.Name, "name", problems);
        CheckUrl(request.Url, "url", problems);
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            problems.Add(new Problem("token", "is required: make one at the other site with `vcm peer token`"));
        }

        return problems;
    }

    /// <summary>Registers the peer (after <see cref="Validate"/>); throws <see cref="PeerCallException"/> when it refuses or does not answer.</summary>
    public async Task<PeerRecord> AddAsync(PeerAddRequest request, CancellationToken cancellationToken)
    {
        var name = request.Name!;
        var url = request.Url!.TrimEnd('/');
        var ourKey = TokenStore.NewSecret("vcmkey_");
        var token = SiteToken.Parse(request.Token);
        X509Certificate2? theirs = null;
        if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            // pinned before anything is sent: the CA the peer shows must be the one its token names
            theirs = token.CaFingerprint is { } fingerprint
                ? await client.GetAuthorityAsync(name, url, fingerprint, cancellationToken)
                : throw new PeerCallException(name, PeerFailure.Refused, $"the peer token names no CA fingerprint, so site {name}'s manager at {url} cannot be checked: make a new token there with `vcm peer token`");
        }

        var answer = await client.AcceptAsync(
            name, url, theirs, new PeerAcceptRequest(token.Secret, site.Name, site.Url, ourKey, authority.CertificatePem), cancellationToken);
        if (answer.Site != name)
        {
            throw new PeerCallException(name, PeerFailure.Refused, $"the manager at {url} is site '{answer.Site}', not '{name}'");
        }

        if (string.IsNullOrEmpty(answer.Key) || answer.Key.Length > 512)
        {
            throw new PeerCallException(name, PeerFailure.Refused, $"site {name} answered without a usable key");
        }

        var peer = await peers.SaveAsync(name, url, ourKey, answer.Key, theirs?.ExportCertificatePem(), clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        await sites.EnsurePeerAsync(name, url, cancellationToken);
        return peer;
    }

    /// <summary>The other side of <see cref="AddAsync"/>: problems if the request is not acceptable, else our answer.</summary>
    public async Task<(IReadOnlyList<Problem> Problems, bool Unauthorized, PeerAcceptResponse? Answer)> AcceptAsync(
        PeerAcceptRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var secret = SiteToken.Parse(request.Token).Secret;
        if (secret.Length is 0 or > 512 || await tokens.KindOfAsync(secret, now, cancellationToken) != TokenKind)
        {
            return ([new Problem("token", "is not a valid peer token of this site (they are used once and last an hour)")], true, null);
        }

        var problems = new List<Problem>();
        CheckName(request.Site, "site", problems);
        CheckUrl(request.Url, "url", problems);
        if (string.IsNullOrEmpty(request.Key) || request.Key.Length is < 16 or > 512)
        {
            problems.Add(new Problem("key", "must be 16 to 512 characters"));
        }

        var theirs = CheckAuthority(request, problems);
        if (problems.Count > 0)
        {
            return (problems, false, null);
        }

        await tokens.RemoveAsync(secret, cancellationToken);
        var ourKey = TokenStore.NewSecret("vcmkey_");
        await peers.SaveAsync(request.Site, request.Url.TrimEnd('/'), ourKey, request.Key, theirs?.ExportCertificatePem(), now, cancellationToken);
        await sites.EnsurePeerAsync(request.Site, request.Url.TrimEnd('/'), cancellationToken);
        return ([], false, new PeerAcceptResponse(site.Name, ourKey));
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var removed = await peers.RemoveAsync(name, cancellationToken);
        await sites.RemovePeerAsync(name, cancellationToken);
        return removed;
    }

    public static PeerView View(PeerRecord peer) => new(peer.Name, peer.Url, DateTimeOffset.FromUnixTimeMilliseconds(peer.AddedMs));

    /// <summary>The peer's CA certificate from an accept request: required for a peer reached over HTTPS, and a CA's.</summary>
    private static X509Certificate2? CheckAuthority(PeerAcceptRequest request, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(request.Ca))
        {
            if (request.Url?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) == true)
            {
                problems.Add(new Problem("ca", "is required for a peer reached over HTTPS: the CA certificate (PEM) its managers' certificates are issued by"));
            }

            return null;
        }

        try
        {
            var certificate = request.Ca.Length <= 16 * 1024 ? X509Certificate2.CreateFromPem(request.Ca) : null;
            if (certificate?.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
            {
                return certificate;
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // reported below
        }

        problems.Add(new Problem("ca", "must be a CA certificate in PEM"));
        return null;
    }

    private void CheckName(string? name, string field, List<Problem> problems)
    {
        if (string.IsNullOrEmpty(name) || !SiteName().IsMatch(name))
        {
            problems.Add(new Problem(field, "must be a site name: 1 to 32 lower-case letters, digits and '-', starting with a letter"));
        }
        else if (name == site.Name)
        {
            problems.Add(new Problem(field, $"'{name}' is this site's own name"));
        }
    }

    private static void CheckUrl(string? url, string field, List<Problem> problems)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
        {
            problems.Add(new Problem(field, "must be a manager's base URL like http://127.0.0.1:8711"));
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex SiteName();
}
