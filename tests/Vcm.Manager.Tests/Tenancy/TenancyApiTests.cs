using System.Net;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>Tenants, users, keys and tokens through the API, on a live manager with simulated hosts.</summary>
public sealed class TenancyApiTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TenancyWorld _world = null!;

    public async Task InitializeAsync() => _world = await TenancyWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static async Task<VcmApiException> RefusedAsync(Func<Task> call, HttpStatusCode status)
    {
        var refused = await Assert.ThrowsAsync<VcmApiException>(call);
        Assert.Equal((int)status, refused.Status);
        return refused;
    }

    [Fact]
    public async Task WhoAmI_SaysUserTenantAndRole_AdminTokenIsTheProvider()
    {
        var member = await _world["a-member"].WhoAmIAsync(Ct);
        var admin = await _world.Site.Client.WhoAmIAsync(Ct);

        Assert.Equal(("a-member", "a", "member"), (member.User, member.Tenant, member.Role));
        Assert.StartsWith("tok-", member.TokenId, StringComparison.Ordinal);
        Assert.Equal(("admin", null, "provider"), (admin.User, admin.Tenant, admin.Role));
    }

    [Fact]
    public async Task Clusters_TenantSeesOnlyItsOwn_OthersAre404()
    {
        var seenByA = await _world["a-reader"].ListClustersAsync(false, Ct);
        var seenByB = await _world["b-tenant-admin"].ListClustersAsync(false, Ct);
        var seenByProvider = await _world.Site.Client.ListClustersAsync(false, Ct);

        Assert.Equal(["ca"], seenByA.Select(c => c.Name));
        Assert.Equal(["cb"], seenByB.Select(c => c.Name));
        Assert.Equal(["ca", "cb"], seenByProvider.Select(c => c.Name).Order());
        await RefusedAsync(() => _world["b-tenant-admin"].GetClusterAsync("ca", true, Ct), HttpStatusCode.NotFound);
        await RefusedAsync(() => _world["b-tenant-admin"].DeleteClusterAsync("ca", Ct), HttpStatusCode.NotFound);
        await RefusedAsync(() => _world["b-member"].ListEventsAsync("ca", Ct), HttpStatusCode.NotFound);
        await RefusedAsync(() => _world["b-member"].GetSshTargetAsync("ca", "head", false, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteCluster_ReaderAndOtherMemberRefused_TenantAdminMay()
    {
        await RefusedAsync(() => _world["a-reader"].DeleteClusterAsync("ca", Ct), HttpStatusCode.Forbidden);
        await RefusedAsync(() => _world["a-member2"].DeleteClusterAsync("ca", Ct), HttpStatusCode.Forbidden);
        await RefusedAsync(() => _world["a-member2"].GetSshTargetAsync("ca", "head", admin: true, Ct), HttpStatusCode.Forbidden);
        Assert.Null((await _world.Site.Client.GetClusterAsync("ca", false, Ct)).DeletionRequestedAt);

        var deleted = await _world["a-tenant-admin"].DeleteClusterAsync("ca", Ct);

        Assert.NotNull(deleted.DeletionRequestedAt);
    }

    [Fact]
    public async Task Create_ReaderRefused403_MemberGetsTenantAndRegisteredKeys()
    {
        await RefusedAsync(() => _world["a-reader"].CreateClusterAsync(new ClusterSpecInput { Name = "r1", Workers = 1 }, Ct), HttpStatusCode.Forbidden);

        var created = await _world["a-member"].CreateClusterAsync(new ClusterSpecInput { Name = "k1", Workers = 1 }, Ct);
        var record = await new Store.Clusters.ClusterStore(_world.Site.Database).FindAsync("k1", Ct);
        var member = await new Store.Tenancy.TenancyStore(_world.Site.Database).FindUserAsync("a-member", Ct);

        Assert.Equal("k1", created.Name);
        Assert.Equal([TenancyWorld.MemberKey], record!.Spec.SshKeys);
        Assert.Equal(member!.Id, record.CreatedBy);
        Assert.Equal(member.TenantId, record.TenantId);
        Assert.DoesNotContain(await _world["b-member"].ListClustersAsync(false, Ct), c => c.Name == "k1");
    }

    [Fact]
    public async Task Create_KeysOfAnotherTenantsUser_RefusedNamingIt_NothingAdmitted()
    {
        var refused = await RefusedAsync(
            () => _world["b-member"].CreateClusterAsync(new ClusterSpecInput { Name = "k2", Workers = 1, KeysOf = ["a-member", "nobody"] }, Ct),
            HttpStatusCode.BadRequest);

        Assert.Equal(["keysOf[0]", "keysOf[1]"], refused.Problem.Errors!.Select(e => e.Field));
        Assert.DoesNotContain(await _world.Site.Client.ListClustersAsync(true, Ct), c => c.Name == "k2");
    }

    [Fact]
    public async Task Users_TenantAdminCannotMakeProviderOrReachAnotherTenant()
    {
        var admin = _world["a-tenant-admin"];

        await RefusedAsync(() => admin.CreateUserAsync(new UserCreateRequest("x1", null, "provider", null), Ct), HttpStatusCode.BadRequest);
        await RefusedAsync(() => admin.SetRoleAsync("a-member", "provider", Ct), HttpStatusCode.Forbidden);
        await RefusedAsync(() => admin.SetRoleAsync("b-member", "reader", Ct), HttpStatusCode.NotFound);
        await RefusedAsync(() => admin.RemoveUserAsync("b-member", Ct), HttpStatusCode.NotFound);
        var wrongTenant = await RefusedAsync(() => admin.CreateUserAsync(new UserCreateRequest("x2", "b", "member", null), Ct), HttpStatusCode.BadRequest);
        await RefusedAsync(() => _world["a-member"].CreateUserAsync(new UserCreateRequest("x3", "a", "reader", null), Ct), HttpStatusCode.Forbidden);

        Assert.Contains(wrongTenant.Problem.Errors!, e => e.Field == "tenant");
        Assert.Equal((await admin.ListUsersAsync(null, Ct)).Select(u => u.Name), ["a-member", "a-member2", "a-reader", "a-tenant-admin"]);
        Assert.Equal("member", (await _world.Site.Client.GetUserAsync("a-member", Ct)).Role);
        Assert.Null(await new Store.Tenancy.TenancyStore(_world.Site.Database).FindUserAsync("x2", Ct));
    }

    [Fact]
    public async Task Users_BadRequest_ListsEveryProblem_DuplicateIs409()
    {
        var refused = await RefusedAsync(
            () => _world.Site.Client.CreateUserAsync(new UserCreateRequest("Bad Name", "nowhere", "boss", ["not a key"]), Ct), HttpStatusCode.BadRequest);
        await RefusedAsync(() => _world.Site.Client.CreateUserAsync(new UserCreateRequest("a-member", "a", "member", null), Ct), HttpStatusCode.Conflict);

        Assert.Equal(["name", "role", "sshKeys[0]", "tenant"], refused.Problem.Errors!.Select(e => e.Field).Order());
    }

    [Fact]
    public async Task TenantAdmin_PromotesAndRemovesOwnUsers()
    {
        var admin = _world["a-tenant-admin"];

        var promoted = await admin.SetRoleAsync("a-reader", "member", Ct);
        await admin.RemoveUserAsync("a-member2", Ct);

        Assert.Equal("member", promoted.Role);
        Assert.Equal("member", (await _world["a-reader"].WhoAmIAsync(Ct)).Role);
        await RefusedAsync(() => _world["a-member2"].WhoAmIAsync(Ct), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tokens_RevokedIsRefusedAtOnce_OthersUnaffected()
    {
        var member = _world["a-member"];
        var second = await member.CreateTokenAsync(new TokenCreateRequest(null, "laptop", "30d"), Ct);
        using var laptop = _world.Site.ClientWith(second.Secret!);
        Assert.Equal("a-member", (await laptop.WhoAmIAsync(Ct)).User);
        var listed = await member.ListTokensAsync(null, false, Ct);

        await member.RevokeTokenAsync(second.Id, Ct);

        Assert.Contains(listed, t => t.Id == second.Id && t.Name == "laptop" && t.Secret is null);
        Assert.True(second.ExpiresAt > DateTimeOffset.UtcNow.AddDays(29));
        await RefusedAsync(() => laptop.WhoAmIAsync(Ct), HttpStatusCode.Unauthorized);
        Assert.Equal("a-member", (await member.WhoAmIAsync(Ct)).User);
        var memberToken = (await member.WhoAmIAsync(Ct)).TokenId!;
        await RefusedAsync(() => _world["b-tenant-admin"].RevokeTokenAsync(memberToken, Ct), HttpStatusCode.NotFound);
        await RefusedAsync(() => _world["a-member2"].CreateTokenAsync(new TokenCreateRequest("a-member", null, null), Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tokens_StoredAsHashesOnly()
    {
        var made = await _world["a-member"].CreateTokenAsync(new TokenCreateRequest(null, "x", null), Ct);
        await using var db = _world.Site.Database.CreateContext();

        Assert.DoesNotContain(db.Tokens.AsEnumerable(), t => t.Hash.Contains(made.Secret!, StringComparison.Ordinal));
        Assert.Single(db.Tokens.AsEnumerable(), t => t.Hash == Store.Auth.TokenStore.Hash(made.Secret!));
    }

    [Fact]
    public async Task Keys_AddListRemove_DuplicateRefused()
    {
        var reader = _world["a-reader"];
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGmJLlpPKExDj0XQHQWSawdxfisEofdkULgUOii7IaUp reader@desk";

        var added = await reader.AddKeyAsync(new KeyAddRequest(key, null), Ct);
        await RefusedAsync(() => reader.AddKeyAsync(new KeyAddRequest(key, "other"), Ct), HttpStatusCode.Conflict);
        var bad = await RefusedAsync(() => reader.AddKeyAsync(new KeyAddRequest("ssh-rsa nope", "Bad Name"), Ct), HttpStatusCode.BadRequest);
        var listed = await reader.ListKeysAsync(Ct);
        await reader.RemoveKeyAsync(added.Fingerprint, Ct);

        Assert.Equal("reader@desk", added.Name);
        Assert.StartsWith("SHA256:", added.Fingerprint, StringComparison.Ordinal);
        Assert.Equal(["name", "publicKey"], bad.Problem.Errors!.Select(e => e.Field).Order());
        Assert.Equal([added.Fingerprint], listed.Select(k => k.Fingerprint));
        Assert.Empty(await reader.ListKeysAsync(Ct));
        await RefusedAsync(() => reader.RemoveKeyAsync("reader@desk", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tenants_ProviderManages_TenantSeesOnlyItself()
    {
        var provider = _world.Site.Client;

        var quota = await provider.SetQuotaAsync("a", "nodes=64,memory=512G,node-hours=none", Ct);
        var own = await _world["a-reader"].ListTenantsAsync(Ct);
        await RefusedAsync(() => _world["a-reader"].GetTenantAsync("b", Ct), HttpStatusCode.NotFound);
        await RefusedAsync(() => _world["a-tenant-admin"].CreateTenantAsync(new TenantCreateRequest("c", null), Ct), HttpStatusCode.Forbidden);
        await RefusedAsync(() => provider.CreateTenantAsync(new TenantCreateRequest("a", null), Ct), HttpStatusCode.Conflict);
        var badQuota = await RefusedAsync(() => provider.SetQuotaAsync("a", "nodes=-1,gpus=2,memory=lots", Ct), HttpStatusCode.BadRequest);
        await RefusedAsync(() => provider.DeleteTenantAsync("a", Ct), HttpStatusCode.Conflict);

        Assert.Equal((64L, "512G", 4, 1), (quota.Quota.Nodes!.Value, quota.Quota.Memory, quota.Users, quota.LiveClusters));
        Assert.Equal(["a"], own.Select(t => t.Name));
        Assert.Equal(3, badQuota.Problem.Errors!.Count);
        Assert.Equal(64L, (await provider.GetTenantAsync("a", Ct)).Quota.Nodes);
    }

    [Fact]
    public async Task DeleteTenant_RemovesItsUsersAndTheirTokens()
    {
        var provider = _world.Site.Client;
        await _world["b-member"].DeleteClusterAsync("cb", Ct);
        await _world.Site.WaitForPhaseAsync("cb", "Released");

        await provider.DeleteTenantAsync("b", Ct);

        await RefusedAsync(() => _world["b-member"].WhoAmIAsync(Ct), HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(await provider.ListUsersAsync(null, Ct), u => u.Name.StartsWith("b-", StringComparison.Ordinal));
        Assert.DoesNotContain(await provider.ListTenantsAsync(Ct), t => t.Name == "b");
    }

    [Fact]
    public async Task Quota_CountsReservedWindows_RefusalNamesIt_ALaterWindowFits()
    {
        var provider = _world.Site.Client;
        await provider.SetQuotaAsync("a", "nodes=3,vcpus=100", Ct); // "ca" holds 2 nodes for the next hour
        var member = _world["a-member"];

        var refused = await RefusedAsync(() => member.CreateClusterAsync(new ClusterSpecInput { Name = "q1", Workers = 1 }, Ct), HttpStatusCode.Conflict);
        var later = await member.CreateClusterAsync(
            new ClusterSpecInput { Name = "q2", Workers = 1, Start = DateTimeOffset.UtcNow.AddHours(3).ToString("O"), Duration = "1h" }, Ct);
        var lowered = await RefusedAsync(() => provider.SetQuotaAsync("a", "nodes=1", Ct), HttpStatusCode.Conflict);
        var shown = await _world["a-reader"].GetTenantAsync("a", Ct);
        var bOnly = await _world["b-member"].CreateClusterAsync(new ClusterSpecInput { Name = "q3", Workers = 1 }, Ct);

        Assert.EndsWith("/problems/quota-exceeded", refused.Problem.Type, StringComparison.Ordinal);
        var nodes = Assert.Single(refused.Problem.Quotas!);
        Assert.Equal(("nodes", 3L, 2L, 2L), (nodes.Quota, nodes.Limit, nodes.Used, nodes.Asked));
        Assert.Contains("nodes: 2 in use", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await provider.ListClustersAsync(true, Ct), c => c.Name == "q1");
        Assert.Equal("q2", later.Name);
        Assert.Equal("nodes", Assert.Single(lowered.Problem.Quotas!).Quota);
        Assert.Equal(3L, (await provider.GetTenantAsync("a", Ct)).Quota.Nodes);
        Assert.Equal(2L, shown.Usage.Nodes);
        if (DateTimeOffset.UtcNow.AddHours(5).Month == DateTimeOffset.UtcNow.Month)
        {
            Assert.Equal(4L, shown.Usage.NodeHoursThisMonth); // "ca" and "q2": 2 nodes for 1 h each, both this month
        }
        Assert.Equal("q3", bOnly.Name);
    }

    [Fact]
    public async Task Quota_IsCountedWithoutReadingSecrets_AnUnreadableAdminKeyStopsNoAdmission()
    {
        // a quota is counted from each cluster's window and spec alone (every admission counts it, so it must be
        // cheap): "ca"'s admin key, made unreadable here, is never decrypted for it
        var sealedGarbage = Store.Secrets.SiteSecrets.Prefix + Convert.ToBase64String(new byte[48]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        string original;
        await using (var db = _world.Site.Database.CreateContext())
        {
            var connection = db.Database.GetDbConnection();
            original = await connection.ExecuteScalarAsync<string>("SELECT admin_private_key FROM clusters WHERE name = 'ca'") ?? "";
            await connection.ExecuteAsync("UPDATE clusters SET admin_private_key = @key WHERE name = 'ca'", new { key = sealedGarbage });
        }

        try
        {
            await _world.Site.Client.SetQuotaAsync("a", "nodes=10,node-hours=100", Ct);
            var created = await _world["a-member"].CreateClusterAsync(new ClusterSpecInput { Name = "q4", Workers = 1 }, Ct);
            var shown = await _world["a-reader"].GetTenantAsync("a", Ct);

            Assert.Equal("q4", created.Name);
            Assert.Equal((4L, 2), (shown.Usage.Nodes, shown.LiveClusters)); // "ca" and "q4", 2 nodes each
        }
        finally
        {
            await using var db = _world.Site.Database.CreateContext();
            await db.Database.GetDbConnection().ExecuteAsync("UPDATE clusters SET admin_private_key = @key WHERE name = 'ca'", new { key = original });
        }
    }

    [Fact]
    public async Task Audit_RecordsChangesRefusalsAndFailedSignIns_TenantAdminSeesItsTenantOnly()
    {
        using (var wrong = _world.Site.ClientWith("vcmu_wrong"))
        {
            await RefusedAsync(() => wrong.WhoAmIAsync(Ct), HttpStatusCode.Unauthorized);
        }

        await RefusedAsync(() => _world["a-reader"].DeleteClusterAsync("ca", Ct), HttpStatusCode.Forbidden);
        await _world["b-member"].DeleteClusterAsync("cb", Ct);

        var all = await _world.Site.Client.ListAuditAsync(null, "1h", null, Ct);
        var tenantA = await _world["a-tenant-admin"].ListAuditAsync(null, null, null, Ct);
        await RefusedAsync(() => _world["b-tenant-admin"].ListAuditAsync("a", null, null, Ct), HttpStatusCode.NotFound);
        await RefusedAsync(() => _world["a-member"].ListAuditAsync(null, null, null, Ct), HttpStatusCode.Forbidden);

        Assert.Contains(all, e => (e.Actor, e.Action, e.Resource, e.Status) == ("admin", "POST /api/v1/tenants", "/api/v1/tenants/a", 201));
        Assert.Contains(all, e => (e.Actor, e.Tenant, e.Action, e.Resource, e.Status) == ("a-member", "a", "POST /api/v1/clusters", "/api/v1/clusters/ca", 201));
        Assert.Contains(all, e => (e.Actor, e.ActorKind, e.Action, e.Status) == ("-", "anonymous", "GET /api/v1/whoami", 401));
        Assert.Contains(all, e => (e.Actor, e.Action, e.Resource, e.Status) == ("a-reader", "DELETE /api/v1/clusters/{name}", "/api/v1/clusters/ca", 403));
        Assert.Contains(all, e => (e.Actor, e.Action, e.Resource, e.Status) == ("b-member", "DELETE /api/v1/clusters/{name}", "/api/v1/clusters/cb", 202));
        Assert.Contains(all, e => e.Action == "POST /api/v1/tokens" && e.Actor == "admin" && e.Status == 201);
        Assert.All(all, e => Assert.NotEqual("GET /api/v1/clusters", e.Action));
        Assert.NotEmpty(tenantA);
        Assert.All(tenantA, e => Assert.Equal("a", e.Tenant));
        Assert.Equal(all.Select(e => e.At).Order(), all.Select(e => e.At));
    }

    [Fact]
    public async Task LastProvider_CannotBeRemoved()
    {
        await RefusedAsync(() => _world.Site.Client.RemoveUserAsync("admin", Ct), HttpStatusCode.Conflict);
        await RefusedAsync(() => _world.Site.Client.SetRoleAsync("admin", "member", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongTokens_AreRateLimitedWithRetryAfter_PerAddress()
    {
        using var http = _world.Site.NewHttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "vcmu_wrong");
        for (var i = 0; i < Auth.FailedSignIns.DefaultLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/whoami")).StatusCode);
        }

        var limited = await http.GetAsync("/api/v1/whoami");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains(_world.Site.Logs.Entries, l => l.Message.Contains("failed authentication", StringComparison.Ordinal));
    }
}
