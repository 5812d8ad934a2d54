using System.Text.Json;
using Vcm.Domain.Clusters;
using Vcm.Domain.Networking;
using Vcm.Domain.Sizes;
using Xunit;

namespace Vcm.Domain.Tests.Clusters;

public sealed class ClusterSpecJsonTests
{
    private static readonly ClusterSpec Full = new()
    {
        Name = "full",
        Workers = 3,
        Head = false,
        Cpus = 2,
        Memory = ByteSize.FromMebibytes(1536),
        Disk = ByteSize.FromGibibytes(4),
        Shared = ByteSize.FromGibibytes(1),
        Image = "micro",
        Packages = ["htop", "slurm-wlm"],
        SshKeys = ["ssh-ed25519 AAAA k"],
        Start = DateTimeOffset.Parse("2031-01-06T09:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture),
        End = DateTimeOffset.Parse("2031-01-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        Sites = [new SiteShare("a", 2), new SiteShare("b", 1)],
        Policy = PlacementPolicy.Spread,
        Subnet = Ipv4Subnet.Parse("10.88.0.0/24"),
        WanRate = new BitRate(2500),
    };

    [Fact]
    public void Serialize_WritesTheRequestsSyntax_AndReadsBackTheSameSpec()
    {
        var json = ClusterSpecJson.Serialize(Full);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal("1536M", root.GetProperty("memory").GetString());
        Assert.Equal("4G", root.GetProperty("disk").GetString());
        Assert.Equal("2500M", root.GetProperty("wanRate").GetString());
        Assert.Equal("spread", root.GetProperty("policy").GetString());
        Assert.Equal(["a:2", "b:1"], root.GetProperty("sites").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("10.88.0.0/24", root.GetProperty("subnet").GetString());
        Assert.False(root.TryGetProperty("nodeCount", out _));

        var back = ClusterSpecJson.Deserialize(json);
        Assert.Equal(json, ClusterSpecJson.Serialize(back));
        Assert.Equal((Full.Start, Full.End, Full.Memory, Full.WanRate, Full.Sites[0]), (back.Start, back.End, back.Memory, back.WanRate, back.Sites[0]));
    }

    [Fact]
    public void Deserialize_WithoutOptionalFields_GivesDefaults()
    {
        var spec = ClusterSpecJson.Deserialize(
            """{"name":"m","workers":1,"cpus":1,"memory":"512M","disk":"2G","image":"micro","start":"2031-01-06T09:00:00Z","end":"2031-01-06T10:00:00Z","subnet":"10.0.0.0/24","shared":null}""");

        Assert.Equal((true, null, null, PlacementPolicy.Pack, 0), (spec.Head, spec.Shared, spec.WanRate, spec.Policy, spec.Sites.Count));
    }

    [Fact]
    public void Deserialize_ABadSize_SaysWhichTypeAndWhy()
    {
        var error = Assert.Throws<JsonException>(() => ClusterSpecJson.Deserialize(
            """{"name":"m","workers":1,"cpus":1,"memory":"lots","disk":"2G","image":"micro","start":"2031-01-06T09:00:00Z","end":"2031-01-06T10:00:00Z","subnet":"10.0.0.0/24"}"""));

        Assert.Contains("ByteSize", error.Message, StringComparison.Ordinal);
    }
}
