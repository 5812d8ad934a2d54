using Vcm.Agent.Metadata;
using Vcm.Drivers.Network;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>The files the network driver and the metadata service share: nodes.json and phone-home reports.</summary>
public sealed class GatewayFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new("vcm-gwfiles");
    private readonly CancellationToken _ct = CancellationToken.None;

    private static readonly GatewaySpec Spec = new()
    {
        Name = "gw",
        Bridge = "br",
        Subnet = "10.0.0.0/24",
        Address = "10.0.0.1",
        Domain = "c1",
        Nodes =
        [
            new GatewayNode("b-node", "52:54:00:00:00:02", "10.0.0.12", ["ssh-ed25519 AAAAb"], Token: "secret-b"),
            new GatewayNode("a-node", "52:54:00:00:00:01", "10.0.0.11", ["ssh-ed25519 AAAAa"], "echo hi", Token: "secret-a"),
        ],
    };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteNodes_HashesTokensAndSortsByName()
    {
        Assert.True(await GatewayFiles.WriteNodesAsync(_dir.Path, Spec, _ct));

        var text = await File.ReadAllTextAsync(_dir.Combine("nodes.json"), _ct);
        var nodes = await GatewayFiles.ReadNodesAsync(_dir.Path, _ct);
        Assert.DoesNotContain("secret-", text, StringComparison.Ordinal);
        Assert.Contains("\"tokenSha256\"", text, StringComparison.Ordinal);
        Assert.Equal(["a-node", "b-node"], nodes.Select(n => n.Name));
        Assert.Equal(GatewayFiles.HashToken("secret-a"), nodes[0].TokenSha256);
        Assert.Equal(64, nodes[0].TokenSha256.Length);
        Assert.Equal(("52:54:00:00:00:01", "10.0.0.11", "echo hi"), (nodes[0].Mac, nodes[0].Ip, nodes[0].UserScript));
        Assert.Equal(["ssh-ed25519 AAAAa"], nodes[0].SshKeys);
    }

    [Fact]
    public async Task WriteNodes_SameSpecAgain_ReportsNoChangeAndLeavesTheFile()
    {
        await GatewayFiles.WriteNodesAsync(_dir.Path, Spec, _ct);
        var written = File.GetLastWriteTimeUtc(_dir.Combine("nodes.json"));

        Assert.False(await GatewayFiles.WriteNodesAsync(_dir.Path, Spec with { Nodes = Spec.Nodes.Reverse().ToList() }, _ct));
        Assert.Equal(written, File.GetLastWriteTimeUtc(_dir.Combine("nodes.json")));
    }

    [Fact]
    public void HashToken_Empty_IsEmptySoNoTokenEverMatches()
    {
        Assert.Equal("", GatewayFiles.HashToken(""));
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", GatewayFiles.HashToken("test"));
    }

    [Fact]
    public async Task WriteNodes_NodeGoneOrTokenChanged_DropsItsStaleReportOnly()
    {
        await GatewayFiles.WriteNodesAsync(_dir.Path, Spec with { Nodes = [.. Spec.Nodes, new GatewayNode("c-node", "52:54:00:00:00:03", "10.0.0.13", [], Token: "secret-c")] }, _ct);
        foreach (var name in new[] { "a-node", "b-node", "c-node" })
        {
            await GatewayFiles.WriteReportAsync(_dir.Path, Report(name), _ct);
        }

        // b-node has a new VM (new token), c-node is gone, a-node is as it was
        await GatewayFiles.WriteNodesAsync(_dir.Path, Spec with { Nodes = [Spec.Nodes[0] with { Token = "secret-b2" }, Spec.Nodes[1]] }, _ct);

        Assert.Equal(["a-node"], (await GatewayFiles.ReadReportsAsync(_dir.Path, _ct)).Select(r => r.Name));
    }

    [Fact]
    public async Task ReadReports_NoFolder_IsEmpty_AndSkipsDamagedFiles()
    {
        Assert.Empty(await GatewayFiles.ReadReportsAsync(_dir.Combine("absent"), _ct));
        await GatewayFiles.WriteReportAsync(_dir.Path, Report("a-node"), _ct);
        await File.WriteAllTextAsync(_dir.Combine("phone-home", "broken.json"), "{ not json", _ct);
        await File.WriteAllTextAsync(_dir.Combine("phone-home", ".b-node.json.123.tmp"), "{}", _ct);

        var reports = await GatewayFiles.ReadReportsAsync(_dir.Path, _ct);

        Assert.Equal(Report("a-node"), Assert.Single(reports));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task WriteReport_NameThatIsNoFileName_IsRefused(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => GatewayFiles.WriteReportAsync(_dir.Path, Report(name), _ct));
    }

    private static NodeReport Report(string name) =>
        new(name, "10.0.0.11", name, "ssh-ed25519 AAAA", "SHA256:x", 2.5, "0", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
}
