using System.Text.Json;
using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>`vcm up --sim` in its own process, used through the CLI only.</summary>
public sealed class UpCliTests(UpFixture fixture) : IClassFixture<UpFixture>
{
    private readonly VcmProcess _up = fixture.Up;
    private readonly VcmCli _cli = fixture.Cli;

    [Fact]
    public async Task FirstLine_SaysTheHostsAreSimulated()
    {
        await _up.WaitForLineAsync("manager:");
        Assert.StartsWith("vcm up: 3 simulated hosts", _up.Log.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateReadyDeleteReleased()
    {
        var created = await _cli.JsonAsync<ClusterView>("cluster", "create", "c1", "--workers", "3", "--cpus", "2", "--memory", "1G", "--wait");
        Assert.Equal("Ready", created.Phase);

        var shown = await _cli.ShowAsync("c1");
        Assert.Equal("Ready", shown.Phase);
        Assert.Equal(4, shown.Nodes!.Count);
        Assert.All(shown.Nodes!, n =>
        {
            Assert.Equal("ready", n.State);
            Assert.StartsWith("sim-", n.Host, StringComparison.Ordinal);
            Assert.Equal("local", n.Site);
            Assert.StartsWith("10.0.0.", n.Ip, StringComparison.Ordinal);
        });
        Assert.Equal(["head", "worker", "worker", "worker"], shown.Nodes!.Select(n => n.Role));

        var deleted = await _cli.JsonAsync<ClusterView>("cluster", "delete", "c1", "--wait");
        Assert.Equal("Released", deleted.Phase);
        var all = await _cli.JsonAsync<List<ClusterView>>("cluster", "list", "--all");
        Assert.Equal("Released", Assert.Single(all, c => c.Name == "c1").Phase);
        Assert.DoesNotContain(await _cli.JsonAsync<List<ClusterView>>("cluster", "list"), c => c.Name == "c1");
    }

    [Fact]
    public async Task RawJsonOutput_HasTheDocumentedFields()
    {
        await _cli.JsonAsync<ClusterView>("cluster", "create", "raw", "--workers", "1", "--wait");
        var result = await _cli.RunAsync("cluster", "show", "raw", "--output", "json");
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("Ready", document.RootElement.GetProperty("phase").GetString());
        foreach (var node in document.RootElement.GetProperty("nodes").EnumerateArray())
        {
            foreach (var field in new[] { "name", "role", "host", "site", "ip", "state" })
            {
                Assert.True(node.TryGetProperty(field, out _), $"node has no {field}");
            }
        }
    }

    [Fact]
    public async Task ShortWindow_ReleasesItself()
    {
        await _cli.JsonAsync<ClusterView>("cluster", "create", "brief", "--workers", "1", "--for", "3s", "--wait");
        await _cli.WaitForPhaseAsync("brief", "Released");
        var events = await _cli.JsonAsync<List<EventView>>("cluster", "events", "brief");
        Assert.Contains(events, e => e.Reason == "Releasing" && e.Message.Contains("window ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FutureStart_StartsItself()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(3).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var created = await _cli.JsonAsync<ClusterView>("cluster", "create", "soon", "--workers", "1", "--start", start);
        Assert.Equal("Scheduled", created.Phase);
        await _cli.WaitForPhaseAsync("soon", "Ready");
    }

    [Fact]
    public async Task HostsAndSites_Listed()
    {
        var hosts = await _cli.JsonAsync<List<HostView>>("host", "list");
        Assert.Equal(["sim-001", "sim-002", "sim-003"], hosts.Select(h => h.Name));
        Assert.Contains("gateway", hosts[0].Roles);
        var sites = await _cli.JsonAsync<List<SiteView>>("site", "list");
        Assert.Equal(3, Assert.Single(sites).Hosts);
        var table = await _cli.RunAsync("host", "list");
        Assert.StartsWith("HOST", table.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "cluster", "create", "bad", "--workers", "0")]
    [InlineData(2, "cluster", "create", "bad", "--workers", "1", "--memory", "12X")]
    [InlineData(2, "cluster", "create", "Bad_Name", "--workers", "1")]
    [InlineData(2, "cluster", "create", "bad", "--workers", "x")]
    [InlineData(2, "cluster", "create", "bad")]
    [InlineData(2, "cluster", "show")]
    [InlineData(2, "--output", "yaml", "cluster", "list")]
    [InlineData(2, "cluster", "create", "bad", "--workers", "1", "--ssh-key", "/nonexistent/key.pub")]
    [InlineData(3, "cluster", "show", "nope")]
    [InlineData(3, "cluster", "delete", "nope")]
    [InlineData(4, "cluster", "create", "huge", "--workers", "500")]
    [InlineData(2, "cluster", "create", "bad", "--workers", "1", "--sites", "local:1,mars:1")]
    [InlineData(2, "cluster", "create", "bad", "--workers", "1", "--wan-rate", "fast")]
    [InlineData(1, "peer", "add", "c", "http://127.0.0.1:1", "--token", "vcmpeer_x")]
    [InlineData(2, "peer", "add", "c", "ftp://x", "--token", "vcmpeer_x")]
    [InlineData(2, "peer", "add", "C!", "http://127.0.0.1:1", "--token", "vcmpeer_x")]
    [InlineData(3, "peer", "remove", "nope")]
    public async Task BadCommand_OnePlainSentence_NonZeroExit(int exitCode, params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(exitCode, result.ExitCode);
        var lines = result.StandardError.Trim().Split('\n');
        Assert.Single(lines);
        Assert.Matches("[.?]$", lines[0]);
        Assert.Empty(result.StandardOutput.Trim());
        Assert.DoesNotContain(await _cli.JsonAsync<List<ClusterView>>("cluster", "list", "--all"), c => c.Name is "bad" or "huge" or "Bad_Name");
    }

    [Fact]
    public async Task DuplicateName_ConflictExitCode_OnePlainSentence()
    {
        // its own subnet, so that it takes none of the default pool the other tests' clusters expect
        await _cli.JsonAsync<ClusterView>("cluster", "create", "dup", "--workers", "1", "--subnet", "10.77.0.0/24");

        var result = await _cli.RunAsync("cluster", "create", "dup", "--workers", "1", "--subnet", "10.78.0.0/24");

        Assert.Equal(8, result.ExitCode);
        var line = Assert.Single(result.StandardError.Trim().Split('\n'));
        Assert.Equal("A cluster named 'dup' exists already; choose another name or delete that cluster first.", line);
        await _cli.JsonAsync<ClusterView>("cluster", "delete", "dup");
    }

    [Fact]
    public async Task BadCommand_WithJsonOutput_GivesTheProblemAsJson()
    {
        var result = await _cli.RunAsync("cluster", "create", "bad", "--workers", "0", "--output", "json");
        Assert.Equal(2, result.ExitCode);
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("workers", document.RootElement.GetProperty("problem").GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task UnreachableServer_SaysSo()
    {
        var cli = new VcmCli($"http://127.0.0.1:{FreePort.Next()}", _cli.DataDirectory);
        var result = await cli.RunAsync("cluster", "list");
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("Cannot reach the vcm manager", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongToken_Refused()
    {
        var result = await Vcm.Drivers.Processes.ProcessRunner.Instance.RunAsync(
            new Vcm.Drivers.Processes.ProcessSpec(RepoPaths.Cli, ["cluster", "list"])
            {
                Environment = new Dictionary<string, string?> { ["VCM_SERVER"] = _cli.Server, ["VCM_TOKEN"] = "vcm_wrong" },
            },
            CancellationToken.None);
        Assert.Equal(6, result.ExitCode);
        Assert.Single(result.StandardError.Trim().Split('\n'));
    }
}
