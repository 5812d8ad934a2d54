using System.Net.Http.Json;
using Vcm.Drivers.Processes;

namespace Vcm.Testing;

/// <summary>
/// The OpenID Connect provider the tests sign in through (tests/oidc: panva's oidc-provider on loopback): the one
/// `./test` started (VCM_TEST_OIDC, its issuer URL), or else one this test process starts with tests/oidc.sh and stops
/// when it exits. Its users (password NAME-pw): alice in vcm-tenant-a-admins, bob in vcm-tenant-b-members, pat in
/// vcm-providers, eve in no vcm group. Its clients: <see cref="ClientId"/> (vcm's) and <see cref="OtherClientId"/>.
/// </summary>
public static class OidcProvider
{
    public const string ClientId = "vcm";
    public const string ClientSecret = "vcm-test-secret";
    public const string OtherClientId = "other";
    public const string OtherClientSecret = "other-test-secret";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Uri? _issuer;

    public static async Task<Uri> IssuerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_issuer is not null)
            {
                return _issuer;
            }

            var fromEnvironment = Environment.GetEnvironmentVariable("VCM_TEST_OIDC");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return _issuer = new Uri(fromEnvironment);
            }

            var dir = Path.Combine(Path.GetTempPath(), $"vcm-oidc-{Environment.ProcessId}");
            var port = FreePort.Next();
            var script = Path.Combine(RepoPaths.Root, "tests", "oidc.sh");
            var started = await ProcessRunner.Instance.RunAsync(
                new ProcessSpec(script, ["start", dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { Timeout = TimeSpan.FromMinutes(5) },
                CancellationToken.None);
            started.EnsureSuccess();
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                ProcessRunner.Instance.RunAsync(new ProcessSpec(script, ["stop", dir]), CancellationToken.None).GetAwaiter().GetResult();
            return _issuer = new Uri(started.StandardOutput.Trim());
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// The manager's options for this provider: vcm-tenant-a-admins → tenant-a tenant-admin, vcm-tenant-a-members →
    /// tenant-a member, vcm-tenant-b-members → tenant-b member, vcm-providers → provider; the groups come with scope groups.
    /// </summary>
    public static async Task<Vcm.Manager.Configuration.OidcOptions> ManagerOptionsAsync() => new()
    {
        Issuer = (await IssuerAsync()).ToString().TrimEnd('/'),
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        Name = "Test provider",
        Scopes = "openid profile groups",
        Groups =
        [
            Grant("vcm-tenant-a-admins=tenant-a:tenant-admin"),
            Grant("vcm-tenant-a-members=tenant-a:member"),
            Grant("vcm-tenant-b-members=tenant-b:member"),
            Grant("vcm-providers=provider"),
        ],
    };

    private static Vcm.Domain.Tenancy.GroupGrant Grant(string text) =>
        Vcm.Domain.Tenancy.GroupGrant.TryParse(text, out var grant, out var problem) ? grant! : throw new ArgumentException(problem, nameof(text));

    /// <summary>Sets a user's password (NAME-pw) and groups at the provider, as a site's directory would: a new user, or new groups.</summary>
    public static async Task SetUserAsync(string name, params string[] groups)
    {
        using var http = new HttpClient { BaseAddress = await IssuerAsync() };
        using var response = await http.PutAsJsonAsync($"/_test/users/{name}", new { password = name + "-pw", groups });
        response.EnsureSuccessStatusCode();
    }
}
