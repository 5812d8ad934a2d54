using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Vcm.Domain.Clusters;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Auth;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>
/// Every route of the policy table, called by every role of tenant a, of tenant b, by the provider and with no token:
/// refused 401 without a token (or with a user's on a route only agents or peers call), 403 below the route's role,
/// 404 for tenant b on tenant a's cluster; otherwise the request reaches its handler (whatever it then answers).
/// </summary>
public sealed class AccessMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Callers = ["a-reader", "a-member", "a-tenant-admin", "b-reader", "b-member", "b-tenant-admin", "admin", "none"];
    private TenancyWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await TenancyWorld.StartAsync();
        foreach (var deleter in new[] { "a-reader", "a-member", "a-tenant-admin", "admin" })
        {
            await _world["a-member"].CreateClusterAsync(new ClusterSpecInput { Name = "del-" + deleter, Workers = 1 }, CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task EveryRoute_EveryRoleOfTwoTenants_GetsTheExpectedStatus()
    {
        var failures = new List<string>();
        var cases = 0;
        foreach (var (route, access) in RoutePolicies.Table.Where(r => !r.Value.Anyone).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var method = route[..route.IndexOf(' ', StringComparison.Ordinal)];
            var pattern = route[(method.Length + 1)..];
            foreach (var caller in Callers)
            {
                var path = Fill(pattern, method, caller);
                var expected = Expect(pattern, access, caller);
                var (status, detail) = await CallAsync(method, path, caller);
                cases++;
                var ok = expected switch
                {
                    Expected.Unauthorized => status == HttpStatusCode.Unauthorized,
                    Expected.Forbidden => status == HttpStatusCode.Forbidden,
                    Expected.Hidden => status == HttpStatusCode.NotFound && detail.Contains("A cluster named 'ca'", StringComparison.Ordinal),
                    _ => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError)
                        && !detail.Contains("A cluster named", StringComparison.Ordinal),
                };
                if (!ok)
                {
                    failures.Add($"{method} {path} as {caller}: expected {expected}, got {(int)status} {detail}");
                }
            }
        }

        output.WriteLine($"{cases} cases");
        Assert.True(cases > 300, $"only {cases} cases");
        Assert.Empty(failures);
    }

    private enum Expected
    {
        Passes,
        Unauthorized,
        Forbidden,
        Hidden,
    }

    private static Expected Expect(string pattern, Access access, string caller)
    {
        if (caller == "none")
        {
            return Expected.Unauthorized;
        }

        var role = caller == "admin" ? Role.Provider : Enum.Parse<Role>(caller[2..].Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
        if (access.Users is not { } needed || !role.Holds(needed))
        {
            return Expected.Forbidden;
        }

        return pattern.StartsWith("/api/v1/clusters/{name}", StringComparison.Ordinal) && caller.StartsWith("b-", StringComparison.Ordinal)
            ? Expected.Hidden
            : Expected.Passes;
    }

    /// <summary>Path parameters: tenant a's cluster (a cluster of its own to delete for each of a's callers), a's users and tenant, names that exist nowhere for the rest.</summary>
    private static string Fill(string pattern, string method, string caller)
    {
        var cluster = method == "DELETE" && !caller.StartsWith("b-", StringComparison.Ordinal) && caller != "none" ? "del-" + caller : "ca";
        var path = pattern.StartsWith("/api/v1/clusters", StringComparison.Ordinal) ? pattern.Replace("{name}", cluster, StringComparison.Ordinal)
            : pattern.StartsWith("/api/v1/tenants", StringComparison.Ordinal) ? pattern.Replace("{name}", "a", StringComparison.Ordinal)
            : pattern.StartsWith("/api/v1/users", StringComparison.Ordinal) ? pattern.Replace("{name}", method == "DELETE" ? "nobody" : "a-reader", StringComparison.Ordinal)
            : pattern.Replace("{name}", "nothing", StringComparison.Ordinal);
        return path.Replace("{node}", "head", StringComparison.Ordinal).Replace("{key}", "nothing", StringComparison.Ordinal)
            .Replace("{id}", "nothing", StringComparison.Ordinal).Replace("{cluster}", "nothing", StringComparison.Ordinal)
            .Replace("{file}", "nothing", StringComparison.Ordinal).Replace("{**path}", "dists/bookworm/InRelease", StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Detail)> CallAsync(string method, string path, string caller)
    {
        using var http = _world.Site.NewHttpClient();
        if (caller != "none")
        {
            // signing out revokes the token used: a user signs out with a token of its own made for it
            var token = caller == "admin" ? _world.Site.Manager.AdminToken
                : method == "DELETE" && path == "/api/v1/session" ? (await _world[caller].CreateTokenAsync(new Vcm.Api.TokenCreateRequest(null, "sign-out", null), CancellationToken.None)).Secret!
                : _world.Tokens[caller];
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
