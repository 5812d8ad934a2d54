using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vcm.Api;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Tls;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>
/// The CLI against a `vcm manager` serving HTTPS only: without the site's CA pinned it refuses the server in one
/// sentence; `vcm login --ca-fingerprint` with the wrong fingerprint signs nothing in; with the right one it pins the CA
/// in the context, and the next commands go over TLS checked against it.
/// </summary>
public sealed class HttpsLoginTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("vcm-e2e-https");
    private VcmProcess _manager = null!;
    private string _server = "";

    private string Data => Path.Combine(_home.Path, "manager");

    public async Task InitializeAsync()
    {
        _server = $"https://127.0.0.1:{FreePort.Next()}";
        _manager = VcmProcess.Start(new Dictionary<string, string?>(), "manager", "--data", Data, "--listen", _server, "--site", "secure");
        await _manager.WaitForLineAsync("API at");
    }

    public async Task DisposeAsync()
    {
        await _manager.DisposeAsync();
        _home.Dispose();
    }

    private Task<ProcessResult> CliAsync(string? stdin, params string[] args) => new UserCli(_home.Path).RunAsync(stdin, args);

    [Fact]
    public async Task LoginOverHttps_PinsTheSitesCa_ByItsFingerprint()
    {
        var token = (await File.ReadAllTextAsync(Path.Combine(Data, "admin.token"))).Trim();
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(Data, "keys", "site-ca.pem")));
        var fingerprint = CertificateFingerprint.Of(ca);

        var unpinned = await CliAsync(token + "\n", "login", _server);
        var wrong = await CliAsync(token + "\n", "login", _server, "--ca-fingerprint", "sha256:" + new string('a', 64));
        var configAfterRefusals = File.Exists(Path.Combine(_home.Path, "config", "vcm.json"));
        var pinned = await CliAsync(token + "\n", "login", _server, "--ca-fingerprint", fingerprint);
        var me = await CliAsync(null, "whoami", "--output", "json");
        var shown = await CliAsync(null, "site", "ca", "--output", "json");

        Assert.NotEqual(0, unpinned.ExitCode);
        Assert.Single(unpinned.StandardError.Trim().Split('\n'));
        Assert.Contains("--ca-fingerprint", unpinned.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("not signing in", wrong.StandardError, StringComparison.Ordinal);
        Assert.False(configAfterRefusals);
        Assert.True(pinned.ExitCode == 0, pinned.StandardError);
        Assert.True(me.ExitCode == 0, me.StandardError);
        Assert.Equal(("admin", "secure"), (JsonSerializer.Deserialize<WhoAmIView>(me.StandardOutput, ApiJson.Options)!.User, JsonSerializer.Deserialize<WhoAmIView>(me.StandardOutput, ApiJson.Options)!.Site));
        Assert.Equal(fingerprint, JsonSerializer.Deserialize<SiteCaView>(shown.StandardOutput, ApiJson.Options)!.Fingerprint);
    }
}
