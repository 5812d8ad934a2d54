using System.Net;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>
/// Local accounts: a password set through the API (kept only as a salted hash) signs its user in for a new API
/// token; a wrong name or password is one 401 and makes nothing; who may set whose password follows who manages whom.
/// </summary>
public sealed class PasswordSignInTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TenancyWorld _world = null!;

    public async Task InitializeAsync() => _world = await TenancyWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task APasswordSet_SignsItsUserIn_ForATokenOfItsOwn_KeptOnlyAsAHash()
    {
        await _world.Site.Client.SetPasswordAsync("a-member", Password, Ct);

        var token = await new VcmClient(_world.Site.Anonymous).SignInAsync(new SignInRequest("a-member", Password, null, "2h"), Ct);
        using var signedIn = _world.Site.ClientWith(token.Secret!);
        var me = await signedIn.WhoAmIAsync(Ct);
        var stored = await StoredHashAsync("a-member");

        Assert.Equal(("a-member", "a", "member"), (me.User, me.Tenant, me.Role));
        Assert.Equal("password sign-in", token.Name);
        Assert.Equal(TimeSpan.FromHours(2), token.ExpiresAt!.Value - token.CreatedAt);
        Assert.StartsWith("AQAAAA", stored, StringComparison.Ordinal); // Identity's v3 format: PBKDF2 with a salt
        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPasswordOrAnUnknownUser_IsOne401_AndMakesNoToken()
    {
        await _world.Site.Client.SetPasswordAsync("a-member", Password, Ct);
        var before = await TokenCountAsync();
        var anonymous = new VcmClient(_world.Site.Anonymous);

        var wrong = await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInAsync(new SignInRequest("a-member", "not the password", null, null), Ct));
        var unknown = await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInAsync(new SignInRequest("nobody", Password, null, null), Ct));
        var noPassword = await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInAsync(new SignInRequest("b-member", Password, null, null), Ct));

        Assert.All(new[] { wrong, unknown, noPassword }, e => Assert.Equal((401, "The user name or the password is wrong."), (e.Status, e.Problem.Detail)));
        Assert.Equal(before, await TokenCountAsync());
    }

    [Fact]
    public async Task BadInput_ListsEveryProblem_AndAWeakPasswordIsRefused_NothingChanged()
    {
        var anonymous = new VcmClient(_world.Site.Anonymous);
        var signIn = await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInAsync(new SignInRequest(null, null, null, "forever"), Ct));
        var weak = await Assert.ThrowsAsync<VcmApiException>(() => _world["a-member"].SetPasswordAsync("a-member", "short", Ct));

        Assert.Equal(400, signIn.Status);
        Assert.Equal(["expires", "password", "user"], signIn.Problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal((400, "password"), (weak.Status, weak.Problem.Errors!.Single().Field));
        Assert.Null(await StoredHashAsync("a-member"));
    }

    [Fact]
    public async Task WhoMaySetWhosePassword_FollowsWhoManagesWhom()
    {
        await _world["a-member"].SetPasswordAsync("a-member", Password, Ct); // its own
        await _world["a-tenant-admin"].SetPasswordAsync("a-member2", Password, Ct); // one it manages
        var otherMember = await Assert.ThrowsAsync<VcmApiException>(() => _world["a-member"].SetPasswordAsync("a-member2", Password, Ct));
        var otherTenant = await Assert.ThrowsAsync<VcmApiException>(() => _world["b-tenant-admin"].SetPasswordAsync("a-member", Password, Ct));

        Assert.Equal(404, otherMember.Status);
        Assert.Equal(404, otherTenant.Status);
        Assert.NotNull(await StoredHashAsync("a-member2"));

        await _world.Site.Client.SetPasswordAsync("a-member", null, Ct); // removed: no password sign-in
        var removed = await Assert.ThrowsAsync<VcmApiException>(() => new VcmClient(_world.Site.Anonymous).SignInAsync(new SignInRequest("a-member", Password, null, null), Ct));
        Assert.Equal(401, removed.Status);
    }

    [Fact]
    public async Task ManyWrongPasswords_FromOneAddress_Wait429()
    {
        await _world.Site.Client.SetPasswordAsync("a-member", Password, Ct);
        var anonymous = new VcmClient(_world.Site.Anonymous);
        var statuses = new List<int>();
        for (var i = 0; i <= Manager.Auth.FailedSignIns.DefaultLimit; i++)
        {
            statuses.Add((await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInAsync(new SignInRequest("a-member", "wrong " + i, null, null), Ct))).Status);
        }

        var right = await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInAsync(new SignInRequest("a-member", Password, null, null), Ct));

        Assert.All(statuses.Take(Manager.Auth.FailedSignIns.DefaultLimit), s => Assert.Equal(401, s));
        Assert.Equal(429, statuses[^1]);
        Assert.Equal(429, right.Status); // the address waits, whatever it sends
    }

    private async Task<string?> StoredHashAsync(string user)
    {
        await using var db = _world.Site.Database.CreateContext();
        return await db.Database.GetDbConnection().QuerySingleOrDefaultAsync<string?>("SELECT password_hash FROM users WHERE name = @user", new { user });
    }

    private async Task<long> TokenCountAsync()
    {
        await using var db = _world.Site.Database.CreateContext();
        return await db.Database.GetDbConnection().ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tokens");
    }
}
