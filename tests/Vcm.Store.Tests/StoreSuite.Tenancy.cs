using Vcm.Domain.Tenancy;
using Vcm.Store.Auth;
using Vcm.Store.Tenancy;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    private TenancyStore Tenancy => new(Database);

    [Fact]
    public async Task AdminTokenFromBeforeUsers_BecomesTheProvidersOnNextStart()
    {
        var admin = TokenStore.NewSecret("vcm_");
        await TokenStore.AddAsync("admin", admin, Now, null, Ct); // as a manager before tenancy registered it

        var provider = await Tenancy.EnsureProviderAsync("admin", Now, Ct);
        await TokenStore.AddAsync("admin", admin, Now, null, Ct, provider.Id);
        var again = await Tenancy.EnsureProviderAsync("admin", Now, Ct);

        var record = await TokenStore.FindValidAsync(admin, Now, Ct);
        Assert.Equal(provider.Id, record!.UserId);
        Assert.Equal(provider.Id, again.Id);
        Assert.Equal("provider", again.Role);
        Assert.Single(await TokenStore.ListUserTokensAsync(null, Ct));
    }

    [Fact]
    public async Task Tenancy_NamesUnique_UpdatesKept_RemovalTakesUsersKeysAndTokens()
    {
        var tenant = await Tenancy.CreateTenantAsync("lab", new TenantQuota { Nodes = 4 }, Now, Ct);
        var user = await Tenancy.CreateUserAsync("alice", tenant!.Id, Role.Member,
            ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGmJLlpPKExDj0XQHQWSawdxfisEofdkULgUOii7IaUp alice@laptop"], Now, Ct);
        var (token, secret) = await TokenStore.CreateUserTokenAsync(user!.Id, "cli", Now, null, Ct);

        Assert.Null(await Tenancy.CreateTenantAsync("lab", TenantQuota.None, Now, Ct));
        Assert.Null(await Tenancy.CreateUserAsync("alice", null, Role.Provider, [], Now, Ct));
        Assert.Equal(8, (await Tenancy.SetQuotaAsync("lab", new TenantQuota { Nodes = 8 }, null, Ct))!.QuotaNodes);
        Assert.Equal(8, (await Tenancy.FindTenantAsync("lab", Ct))!.QuotaNodes);
        Assert.Equal("tenant-admin", (await Tenancy.SetRoleAsync("alice", Role.TenantAdmin, Ct))!.Role);
        Assert.Equal("tenant-admin", (await Tenancy.FindUserAsync("alice", Ct))!.Role);
        Assert.Equal(["alice@laptop"], (await Tenancy.ListKeysAsync(user.Id, Ct)).Select(k => k.Name));
        Assert.Equal(token.Id, (await TokenStore.FindValidAsync(secret, Now, Ct))!.Id);

        Assert.Equal(TenantRemoval.Removed, await Tenancy.DeleteTenantAsync("lab", Ct));

        Assert.Null(await Tenancy.FindUserAsync("alice", Ct));
        Assert.Null(await TokenStore.FindValidAsync(secret, Now, Ct));
        Assert.Empty(await Tenancy.ListKeysAsync(user.Id, Ct));
        Assert.Equal(TenantRemoval.NotFound, await Tenancy.DeleteTenantAsync("lab", Ct));
    }
}
