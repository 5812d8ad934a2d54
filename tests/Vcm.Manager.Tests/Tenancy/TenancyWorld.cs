using Vcm.Api;
using Vcm.Testing;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>
/// A site with two tenants, a and b, each with a reader, a member and a tenant-admin (a also a second member), every
/// user with its own token; a-member owns cluster "ca", b-member owns "cb".
/// </summary>
internal sealed class TenancyWorld : IAsyncDisposable
{
    public const string MemberKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGmJLlpPKExDj0XQHQWSawdxfisEofdkULgUOii7IaUp a-member@laptop";

    private TenancyWorld(TestSite site) => Site = site;

    public TestSite Site { get; }

    public Dictionary<string, VcmClient> Users { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    public VcmClient this[string user] => Users[user];

    public static readonly string[] Roles = ["reader", "member", "tenant-admin"];

    public static async Task<TenancyWorld> StartAsync()
    {
        var world = new TenancyWorld(await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4));
        try
        {
            await world.FillAsync();
        }
        catch (Exception e)
        {
            var logged = string.Join("\n", world.Site.Logs.Entries.Where(l => l.Exception is not null).Select(l => l.Exception!.ToString()));
            await world.DisposeAsync();
            throw new InvalidOperationException("the tenancy world could not be made; the manager logged: " + logged, e);
        }

        return world;
    }

    private async Task FillAsync()
    {
        var world = this;
        var ct = CancellationToken.None;
        var provider = world.Site.Client;
        foreach (var tenant in new[] { "a", "b" })
        {
            await provider.CreateTenantAsync(new TenantCreateRequest(tenant, null), ct);
            foreach (var role in Roles)
            {
                await world.AddUserAsync($"{tenant}-{role}", tenant, role, role == "member" && tenant == "a" ? [MemberKey] : null);
            }
        }

        await world.AddUserAsync("a-member2", "a", "member", null);
        await world["a-member"].CreateClusterAsync(new Domain.Clusters.ClusterSpecInput { Name = "ca", Workers = 1 }, ct);
        await world["b-member"].CreateClusterAsync(new Domain.Clusters.ClusterSpecInput { Name = "cb", Workers = 1 }, ct);
    }

    public async Task AddUserAsync(string name, string tenant, string role, IReadOnlyList<string>? keys)
    {
        var ct = CancellationToken.None;
        await Site.Client.CreateUserAsync(new UserCreateRequest(name, tenant, role, keys), ct);
        var token = await Site.Client.CreateTokenAsync(new TokenCreateRequest(name, "test", null), ct);
        Tokens[name] = token.Secret!;
        Users[name] = Site.ClientWith(token.Secret!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Users.Values)
        {
            client.Dispose();
        }

        await Site.DisposeAsync();
    }
}
