using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>`vcm capacity` against `vcm up --sim`: the site's free capacity by step, where a request fits, and a --fit that is not a request refused in one sentence.</summary>
public sealed class CapacityCliTests(UpFixture fixture) : IClassFixture<UpFixture>, IDisposable
{
    private readonly VcmCli _cli = fixture.Cli;
    private readonly TempDirectory _home = new("vcm-e2e-capacity");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task ATenantsUser_SeesItsQuotaLeftBesideTheSitesCapacity()
    {
        await _cli.JsonAsync<TenantView>("tenant", "create", "quota", "--quota", "vcpus=8,nodes=10");
        await _cli.JsonAsync<UserView>("user", "add", "bob", "--tenant", "quota", "--role", "reader");
        var token = await _cli.JsonAsync<TokenView>("token", "create", "--user", "bob");
        var bob = new UserCli(_home.Path);
        var login = await bob.RunAsync(token.Secret + "\n", "login", _cli.Server);

        var timeline = await bob.JsonAsync<CapacityTimelineView>("capacity", "--step", "12h", "--cpus", "2", "--memory", "1G");
        var text = await bob.RunAsync(null, "capacity", "--step", "12h", "--cpus", "2");

        Assert.True(login.ExitCode == 0, login.StandardError);
        Assert.Equal("quota", timeline.Tenant);
        Assert.All(timeline.Steps, s => Assert.Equal((8L, 10L, 4L), (s.Quota!.Vcpus!.Value, s.Quota.Nodes!.Value, s.Quota.NodesOfShape!.Value)));
        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Contains("tenant quota's quota left", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("NODES-IN-QUOTA", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capacity_ByStep_AndWhereARequestFits()
    {
        var timeline = await _cli.JsonAsync<CapacityTimelineView>("capacity", "--step", "6h", "--cpus", "2", "--memory", "1G");
        var fit = await _cli.JsonAsync<FitWindowsView>("capacity", "--fit", "--workers 2 --cpus 2 --memory 1G", "--for", "2h");
        var text = await _cli.RunAsync("capacity", "--step", "12h");
        var bad = await _cli.RunAsync("capacity", "--fit", "--workers two", "--for", "2h");

        Assert.Equal(4, timeline.Steps.Count);
        Assert.All(timeline.Steps, s => Assert.True(s.Cpus > 0 && s.Nodes > 0, $"{s.Start:u}: {s.Cpus} cpus, {s.Nodes} nodes"));
        Assert.Equal("2h", fit.Duration);
        Assert.NotEmpty(fit.Windows);
        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Contains("free through each 12h", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Single(bad.StandardError.Trim().Split('\n'));
    }
}
