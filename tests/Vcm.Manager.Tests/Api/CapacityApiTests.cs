using System.Globalization;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>
/// GET /api/v1/capacity: the site's free capacity step by step, a reservation showing in exactly the steps its window
/// touches, nodes of a shape counted, and bad queries answered with every problem listed.
/// </summary>
public sealed class CapacityApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2031, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private TestSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, clock: new ManualClock(Now), controllers: new ControllerOptions { Enabled = false });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task AReservationShowsInTheStepsOfItsWindow_AndNodesOfAShapeAreCounted()
    {
        var before = await _site.Client.GetCapacityAsync(null, Iso(Now.AddHours(6)), "1h", 8, "16G", null, false, CancellationToken.None);

        await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "later", Workers = 3, Cpus = 8, Memory = "16G", Start = Iso(Now.AddHours(2)), Duration = "2h" }, CancellationToken.None);
        var after = await _site.Client.GetCapacityAsync(null, Iso(Now.AddHours(6)), "1h", 8, "16G", null, false, CancellationToken.None);

        Assert.Equal(6, after.Steps.Count);
        Assert.Equal(Now, after.From);
        Assert.Equal("1h", after.Step);
        var idle = before.Steps[0];
        Assert.All(before.Steps, s => Assert.Equal(idle.Cpus, s.Cpus));

        // a head and three workers of 8 cpus: 32 cpus held from 10:00 to 12:00, and four fewer 8-cpu nodes
        Assert.Equal(
            [idle.Cpus, idle.Cpus, idle.Cpus - 32, idle.Cpus - 32, idle.Cpus, idle.Cpus],
            after.Steps.Select(s => s.Cpus));
        Assert.Equal(
            [idle.Nodes, idle.Nodes, idle.Nodes - 4, idle.Nodes - 4, idle.Nodes, idle.Nodes],
            after.Steps.Select(s => s.Nodes));
    }

    [Fact]
    public async Task ATenantsUser_SeesItsQuotaHeadroomInEachStep_TheProviderSeesNone()
    {
        await _site.Client.CreateTenantAsync(new TenantCreateRequest("lab", "nodes=6,vcpus=16,node-hours=100"), CancellationToken.None);
        await _site.Client.CreateUserAsync(new UserCreateRequest("ann", "lab", "member", null), CancellationToken.None);
        var token = await _site.Client.CreateTokenAsync(new TokenCreateRequest("ann", "test", null), CancellationToken.None);
        using var ann = _site.ClientWith(token.Secret!);

        // a head and two workers of 4 cpus from 10:00 to 12:00: 3 nodes, 12 vcpus and 6 node-hours of the quota
        await ann.CreateClusterAsync(
            new ClusterSpecInput { Name = "mine", Workers = 2, Cpus = 4, Start = Iso(Now.AddHours(2)), Duration = "2h" }, CancellationToken.None);
        var seen = await ann.GetCapacityAsync(null, Iso(Now.AddHours(4)), "1h", 2, "1G", null, false, CancellationToken.None);
        var provider = await _site.Client.GetCapacityAsync(null, Iso(Now.AddHours(4)), "1h", 2, "1G", null, false, CancellationToken.None);

        Assert.Equal("lab", seen.Tenant);
        Assert.Equal([6L, 6L, 3L, 3L], seen.Steps.Select(s => s.Quota!.Nodes!.Value));
        Assert.Equal([16L, 16L, 4L, 4L], seen.Steps.Select(s => s.Quota!.Vcpus!.Value));
        Assert.All(seen.Steps, s => Assert.Equal(94, s.Quota!.NodeHours));
        Assert.All(seen.Steps, s => Assert.Null(s.Quota!.Memory));
        // nodes of 2 cpus the quota still allows: min(nodes left, vcpus left / 2)
        Assert.Equal([6L, 6L, 2L, 2L], seen.Steps.Select(s => s.Quota!.NodesOfShape!.Value));
        Assert.Null(provider.Tenant);
        Assert.All(provider.Steps, s => Assert.Null(s.Quota));
        Assert.Equal(provider.Steps.Select(s => s.Cpus), seen.Steps.Select(s => s.Cpus));
    }

    [Fact]
    public async Task Fit_ListsTheRunsOfStartsWhereTheRequestFits_AroundAFullWindow()
    {
        // head and three workers of 16 cpus take both 32-cpu hosts whole from 10:00 to 12:00
        await _site.Client.CreateClusterAsync(
            new ClusterSpecInput { Name = "full", Workers = 3, Cpus = 16, Start = Iso(Now.AddHours(2)), Duration = "2h" }, CancellationToken.None);

        var fit = await _site.Client.GetFitAsync(null, Iso(Now.AddHours(6)), 1, null, 1, null, null, "1h", CancellationToken.None);
        var none = await _site.Client.GetFitAsync(null, Iso(Now.AddHours(6)), 4, null, 16, null, null, "5h", CancellationToken.None);

        Assert.Equal("1h", fit.Duration);
        Assert.Equal(
            [new FitWindowView(Now, Now.AddHours(1)), new FitWindowView(Now.AddHours(4), Now.AddHours(6))],
            fit.Windows);
        Assert.Empty(none.Windows);
    }

    [Fact]
    public async Task ForATenantsUser_FitLeavesOutTheStartsItsQuotaRefuses()
    {
        await _site.Client.CreateTenantAsync(new TenantCreateRequest("few", "nodes=4"), CancellationToken.None);
        await _site.Client.CreateUserAsync(new UserCreateRequest("bo", "few", "member", null), CancellationToken.None);
        var token = await _site.Client.CreateTokenAsync(new TokenCreateRequest("bo", "test", null), CancellationToken.None);
        using var bo = _site.ClientWith(token.Secret!);
        // three of the tenant's four nodes are held from 10:00 to 12:00
        await bo.CreateClusterAsync(new ClusterSpecInput { Name = "held", Workers = 2, Start = Iso(Now.AddHours(2)), Duration = "2h" }, CancellationToken.None);

        var mine = await bo.GetFitAsync(null, Iso(Now.AddHours(6)), 1, null, null, null, null, "1h", CancellationToken.None);
        var provider = await _site.Client.GetFitAsync(null, Iso(Now.AddHours(6)), 1, null, null, null, null, "1h", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<VcmApiException>(() => bo.CreateClusterAsync(
            new ClusterSpecInput { Name = "more", Workers = 1, Start = Iso(Now.AddHours(1).AddMinutes(30)), Duration = "1h" }, CancellationToken.None));

        // two more nodes for an hour fit the quota only for starts whose hour misses 10:00-12:00
        Assert.Equal("few", mine.Tenant);
        Assert.Equal([new FitWindowView(Now, Now.AddHours(1)), new FitWindowView(Now.AddHours(4), Now.AddHours(6))], mine.Windows);
        Assert.Null(provider.Tenant);
        Assert.Equal([new FitWindowView(Now, Now.AddHours(6))], provider.Windows);
        Assert.Equal(409, refused.Status); // a start between the runs is refused over quota, as fit said
    }

    [Fact]
    public async Task AFitQueryIsReadAsACreateIs_EveryProblemListed()
    {
        var refused = await Assert.ThrowsAsync<VcmApiException>(() =>
            _site.Client.GetFitAsync("soon", null, 0, null, 9999, "lots", null, "forever", CancellationToken.None));

        Assert.Equal(400, refused.Status);
        Assert.Equal(["cpus", "duration", "from", "memory", "workers"], refused.Problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ABadQuery_ListsEveryProblem()
    {
        var refused = await Assert.ThrowsAsync<VcmApiException>(() =>
            _site.Client.GetCapacityAsync("yesterday", null, "0s", 0, "lots", null, false, CancellationToken.None));
        var backwards = await Assert.ThrowsAsync<VcmApiException>(() =>
            _site.Client.GetCapacityAsync(Iso(Now.AddHours(2)), Iso(Now), null, null, null, null, false, CancellationToken.None));
        var tooMany = await Assert.ThrowsAsync<VcmApiException>(() =>
            _site.Client.GetCapacityAsync(null, Iso(Now.AddDays(400)), "1m", null, null, null, false, CancellationToken.None));

        Assert.Equal(400, refused.Status);
        Assert.Equal(["cpus", "from", "memory", "step"], refused.Problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal(["to"], backwards.Problem.Errors!.Select(e => e.Field));
        Assert.Equal(["step"], tooMany.Problem.Errors!.Select(e => e.Field));
    }

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
