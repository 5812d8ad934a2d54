using Vcm.Api;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>
/// Tenants, users and tokens through the CLI against `vcm up --sim`: the provider makes a tenant and a user and a token
/// for it; the user signs in with `vcm login` (the token on standard input, kept in its own config file), sees who it
/// is, makes and revokes tokens, and a revoked token is refused at once.
/// </summary>
public sealed class AccountCliTests(UpFixture fixture) : IClassFixture<UpFixture>, IDisposable
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGmJLlpPKExDj0XQHQWSawdxfisEofdkULgUOii7IaUp alice@laptop";
    private readonly VcmCli _admin = fixture.Cli;
    private readonly TempDirectory _home = new("vcm-e2e-user");

    public void Dispose() => _home.Dispose();

    private Task<ProcessResult> AsUserAsync(string? stdin, params string[] args) => new UserCli(_home.Path).RunAsync(stdin, args);

    private Task<T> UserJsonAsync<T>(params string[] args) => new UserCli(_home.Path).JsonAsync<T>(args);

    [Fact]
    public async Task Login_WhoAmI_TokenCreateListRevoke_EndToEnd()
    {
        var keyFile = Path.Combine(_home.Path, "id.pub");
        await File.WriteAllTextAsync(keyFile, Key + "\n");
        var tenant = await _admin.JsonAsync<TenantView>("tenant", "create", "lab", "--quota", "nodes=8,memory=16G");
        var user = await _admin.JsonAsync<UserView>("user", "add", "alice", "--tenant", "lab", "--role", "member", "--ssh-key", keyFile);
        var first = await _admin.JsonAsync<TokenView>("token", "create", "--user", "alice", "--name", "cli", "--expires", "7d");

        var login = await AsUserAsync(first.Secret + "\n", "login", _admin.Server, "--context", "lab");
        var me = await UserJsonAsync<WhoAmIView>("whoami");
        var second = await UserJsonAsync<TokenView>("token", "create", "--name", "second");
        var listed = await UserJsonAsync<List<TokenView>>("token", "list");
        var keys = await UserJsonAsync<List<UserKeyView>>("key", "list");
        var hosts = await AsUserAsync(null, "host", "list");

        Assert.Equal((8L, "16G"), (tenant.Quota.Nodes!.Value, tenant.Quota.Memory));
        Assert.Equal(("alice", "lab", "member", 1), (user.Name, user.Tenant, user.Role, user.Keys));
        Assert.True(login.ExitCode == 0, login.StandardError);
        Assert.Contains("signed in to", login.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_home.Path, "config", "vcm.json")));
        Assert.DoesNotContain(first.Secret!, login.StandardOutput + login.StandardError, StringComparison.Ordinal);
        Assert.Equal(("alice", "lab", "member", first.Id), (me.User, me.Tenant, me.Role, me.TokenId));
        Assert.Equal([second.Id, first.Id], listed.Select(t => t.Id));
        Assert.All(listed, t => Assert.Null(t.Secret));
        Assert.Equal(["alice@laptop"], keys.Select(k => k.Name));
        Assert.Equal(6, hosts.ExitCode);
        Assert.Single(hosts.StandardError.Trim().Split('\n'));

        var revoke = await AsUserAsync(null, "token", "revoke", first.Id);
        var afterRevoke = await AsUserAsync(null, "whoami");

        Assert.True(revoke.ExitCode == 0, revoke.StandardError);
        Assert.Equal(6, afterRevoke.ExitCode);
        Assert.Single(afterRevoke.StandardError.Trim().Split('\n'));

        var relogin = await AsUserAsync(second.Secret + "\n", "login", _admin.Server, "--context", "lab");
        var logout = await AsUserAsync(null, "logout", "--revoke");
        var afterLogout = await AsUserAsync(null, "whoami");
        var secondNow = await _admin.RunAsync("token", "list", "--user", "alice", "--output", "json");

        Assert.True(relogin.ExitCode == 0 && logout.ExitCode == 0, relogin.StandardError + logout.StandardError);
        Assert.Equal(6, afterLogout.ExitCode);
        Assert.Equal("[]", secondNow.StandardOutput.Trim());
    }

    [Fact]
    public async Task PasswordLogin_AUserWithAPassword_SignsInWithIt_AWrongOneIsOneSentence()
    {
        await _admin.JsonAsync<TenantView>("tenant", "create", "pw");
        await _admin.JsonAsync<UserView>("user", "add", "carol", "--tenant", "pw", "--role", "member");
        var passwd = await _admin.RunAsync("user", "passwd", "carol");
        var set = await ProcessRunner.Instance.RunAsync(
            new ProcessSpec(RepoPaths.Cli, ["user", "passwd", "carol", "--output", "json"]) { Environment = _admin.Environment, StandardInput = "a long enough secret\n" },
            CancellationToken.None);

        var wrong = await AsUserAsync("not it at all, no\n", "login", _admin.Server, "--user", "carol");
        var login = await AsUserAsync("a long enough secret\n", "login", _admin.Server, "--user", "carol", "--context", "pw");
        var me = await UserJsonAsync<WhoAmIView>("whoami");
        var tokens = await UserJsonAsync<List<TokenView>>("token", "list");

        Assert.Equal(2, passwd.ExitCode); // no password on standard input
        Assert.True(set.ExitCode == 0, set.StandardError);
        Assert.Contains("\"set\"", set.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(6, wrong.ExitCode);
        Assert.Equal("The user name or the password is wrong.", wrong.StandardError.Trim());
        Assert.True(login.ExitCode == 0, login.StandardError);
        Assert.Equal(("carol", "pw", "member"), (me.User, me.Tenant, me.Role));
        Assert.StartsWith("vcm login on ", Assert.Single(tokens).Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongToken_OneSentence_NothingKept()
    {
        var login = await AsUserAsync("vcmu_not-a-token\n", "login", _admin.Server);

        Assert.Equal(6, login.ExitCode);
        Assert.Single(login.StandardError.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_home.Path, "config", "vcm.json")));
    }
}
