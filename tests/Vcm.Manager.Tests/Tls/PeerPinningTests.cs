using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Vcm.Api;
using Vcm.Drivers.Tls;
using Vcm.Manager.Peers;
using Vcm.Manager.Tls;
using Vcm.Store.Federation;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tls;

/// <summary>
/// Two sites over HTTPS pin each other's CA when they are peered: the peer token names the CA's fingerprint, the
/// adding site checks what it is shown against it before sending anything, and hands over its own CA with the token.
/// Afterwards a federation call must come with a manager certificate of the pinned CA, not merely the right key.
/// </summary>
public sealed class PeerPinningTests : IAsyncLifetime
{
    private TlsSite _a = null!;
    private TlsSite _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TlsSite.StartAsync("pa");
        _b = await TlsSite.StartAsync("pb");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task PeeredOverHttps_EachPinsTheOthersCa_AndAFederationCallNeedsACertificateOfIt()
    {
        var token = await _b.Client.CreatePeerTokenAsync(CancellationToken.None);
        Assert.Equal(_b.Authority.Fingerprint, SiteToken.Parse(token.Token).CaFingerprint);

        await _a.Client.AddPeerAsync(new PeerAddRequest("pb", _b.Url, token.Token), CancellationToken.None);

        var atA = Assert.Single(await new PeerStore(_a.Database).ListAsync(CancellationToken.None));
        var atB = Assert.Single(await new PeerStore(_b.Database).ListAsync(CancellationToken.None));
        Assert.Equal(_b.Authority.Fingerprint, CertificateFingerprint.Of(X509Certificate2.CreateFromPem(atA.CaCertificate)));
        Assert.Equal(_a.Authority.Fingerprint, CertificateFingerprint.Of(X509Certificate2.CreateFromPem(atB.CaCertificate)));

        // site a's key for b, with a's manager certificate: b knows the caller (and has no such part)
        Assert.Equal(HttpStatusCode.NotFound, await CallBAsync(atA.OurKey, _a.Tls.Credentials.Current.Certificate));

        // the same key with a certificate of another CA, or with none: refused
        using var foreign = ForeignCertificates.Issue("pa", CertificateRole.Manager);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallBAsync(atA.OurKey, foreign));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallBAsync(atA.OurKey, null));
    }

    [Fact]
    public async Task APeerTokenNamingAnotherCa_IsRefusedBeforeAnythingIsSent_AndNeitherSiteAddsAPeer()
    {
        var token = SiteToken.Parse((await _b.Client.CreatePeerTokenAsync(CancellationToken.None)).Token);
        var wrong = SiteToken.Format(token.Secret, _a.Authority.Fingerprint);

        var refused = await Assert.ThrowsAsync<VcmApiException>(() => _a.Client.AddPeerAsync(new PeerAddRequest("pb", _b.Url, wrong), CancellationToken.None));

        Assert.Equal(502, refused.Status);
        Assert.Contains("is not the one the peer token names", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await new PeerStore(_a.Database).ListAsync(CancellationToken.None));
        Assert.Empty(await new PeerStore(_b.Database).ListAsync(CancellationToken.None));

        // the token itself was never sent: with its right fingerprint it still works
        await _a.Client.AddPeerAsync(new PeerAddRequest("pb", _b.Url, SiteToken.Format(token.Secret, _b.Authority.Fingerprint)), CancellationToken.None);
        Assert.Single(await new PeerStore(_b.Database).ListAsync(CancellationToken.None));
    }

    private async Task<HttpStatusCode> CallBAsync(string key, X509Certificate2? certificate)
    {
        using var http = ForeignCertificates.ClientWith(certificate, _b.Authority.Certificate, CertificateRole.Manager);
        using var call = new HttpRequestMessage(HttpMethod.Get, _b.Url + "/federation/v1/parts/no-such-cluster");
        call.Headers.Add(FederationClient.SiteHeader, "pa");
        call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var answer = await http.SendAsync(call);
        return answer.StatusCode;
    }
}
