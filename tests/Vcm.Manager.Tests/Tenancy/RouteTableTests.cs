using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Manager.Auth;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>Every route of the application's real route table has an access policy, and the table names no route that does not exist.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public async Task EveryRoute_HasAPolicy_AndEveryPolicyARoute()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 1);
        var routes = site.Manager.App.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).SelectMany(RoutePolicies.Keys).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(routes);
        var withoutPolicy = routes.Where(r => !RoutePolicies.Table.ContainsKey(r)).ToList();
        var withoutRoute = RoutePolicies.Table.Keys.Where(k => !routes.Contains(k)).ToList();
        Assert.True(withoutPolicy.Count == 0, "routes without a policy: " + string.Join(", ", withoutPolicy));
        Assert.True(withoutRoute.Count == 0, "policies without a route: " + string.Join(", ", withoutRoute));
    }
}
