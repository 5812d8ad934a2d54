using System.Net;
using System.Net.Http.Json;
using Vcm.Api;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Tls;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>
/// Join tokens are listed (never their secrets) and revoked, as kubeadm's: a revoked token lets no agent in, a user's
/// API token cannot be revoked through them, a bad lifetime is a problem naming the field, and a token carries the
/// site CA's fingerprint. A join request with a signing request that is not one is 422, nothing registered.
/// </summary>
public sealed class JoinTokenTests : IAsyncLifetime
{
    private TestSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 1, controllers: new ControllerOptions { Enabled = false });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task JoinTokens_AreListedWithoutSecrets_AndARevokedOneLetsNoAgentIn()
    {
        var made = await _site.Client.CreateJoinTokenAsync(CancellationToken.None, new JoinTokenRequest("rack 4", "2h"));
        var other = await _site.Client.CreateJoinTokenAsync(CancellationToken.None);

        var listed = await _site.Client.ListJoinTokensAsync(CancellationToken.None);
        Assert.Equal(new[] { made.Id, other.Id }.Order(StringComparer.Ordinal), listed.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.All(listed, t => Assert.Null(t.Token));
        Assert.Equal("rack 4", listed.Single(t => t.Id == made.Id).Name);
        Assert.Equal(TimeSpan.FromHours(2), made.ExpiresAt - made.CreatedAt);
        Assert.NotNull(SiteToken.Parse(made.Token).CaFingerprint);

        await _site.Client.RevokeJoinTokenAsync(made.Id, CancellationToken.None);

        using var refused = await JoinAsync(made.Token!, "agent-rack4");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var admitted = await JoinAsync(other.Token!, "agent-other");
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal([other.Id], (await _site.Client.ListJoinTokensAsync(CancellationToken.None)).Select(t => t.Id));
        var again = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.RevokeJoinTokenAsync(made.Id, CancellationToken.None));
        Assert.Equal(404, again.Status);
    }

    [Fact]
    public async Task AUsersApiToken_CannotBeRevokedAsAJoinToken_AndABadLifetimeIsAProblem_NothingChanged()
    {
        var mine = await _site.Client.CreateTokenAsync(new TokenCreateRequest(null, "laptop", null), CancellationToken.None);
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var revoke = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.RevokeJoinTokenAsync(mine.Id, CancellationToken.None));
        var bad = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.CreateJoinTokenAsync(CancellationToken.None, new JoinTokenRequest(new string('x', 101), "31d")));

        Assert.Equal(404, revoke.Status);
        Assert.Equal(400, bad.Status);
        Assert.Equal(["expires", "name"], bad.Problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task AJoinWithASigningRequestThatIsNotOne_Is422_NothingRegistered()
    {
        var token = (await _site.Client.CreateJoinTokenAsync(CancellationToken.None)).Token!;
        var before = await DbSnapshot.TakeAsync(_site.Database);

        using var response = await _site.Anonymous.PostAsJsonAsync(
            AgentPaths.Join, new AgentJoinRequest(token, "agent-csr", "csr-agent-key-0123456789", "https://127.0.0.1:1", [Host("csr-1")], "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"), AgentJson.Options);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("csr", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    private Task<HttpResponseMessage> JoinAsync(string token, string agentId)
    {
        var (key, csr) = TlsFiles.NewRequest(agentId);
        key.Dispose();
        return _site.Anonymous.PostAsJsonAsync(AgentPaths.Join, new AgentJoinRequest(token, agentId, agentId + "-key-0123456789", "https://127.0.0.1:1", [Host(agentId + "-h")], csr), AgentJson.Options);
    }

    private static HostFacts Host(string name) => new()
    {
        Name = name,
        Cpus = 2,
        MemoryMb = 2048,
        DiskMb = 10_000,
        Roles = ["compute"],
        Address = "127.0.0.1",
        Driver = "sim",
    };
}
