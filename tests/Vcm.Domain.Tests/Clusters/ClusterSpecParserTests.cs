using Vcm.Domain.Clusters;
using Xunit;

namespace Vcm.Domain.Tests.Clusters;

public sealed class ClusterSpecParserTests
{
    public const string Ed25519Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHm3HkWNaZ9tBWrYjvS2ePq6hGf7W0m0n3C1DTPKs2Uu tenant@lab";

    private static readonly DateTimeOffset Now = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly SpecContext Context = new(
        Now, new HashSet<string> { "micro", "debian-12" }, new HashSet<string> { "a", "b" });

    [Fact]
    public void Minimal_GetsDefaults()
    {
        var result = ClusterSpecParser.Parse(new ClusterSpecInput { Name = "c1", Workers = 3 }, Context);

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        var spec = result.Spec!;
        Assert.Equal(4, spec.NodeCount);
        Assert.Equal(["head", "node-01", "node-02", "node-03"], spec.NodeNames().Select(n => n.Name));
        Assert.Equal(1, spec.Cpus);
        Assert.Equal(512, spec.Memory.Mebibytes);
        Assert.Equal("micro", spec.Image);
        Assert.Equal(Now, spec.Start);
        Assert.Equal(Now + TimeSpan.FromHours(1), spec.End);
        Assert.Equal(PlacementPolicy.Pack, spec.Policy);
        Assert.Equal("10.0.0.0/24", spec.Subnet.ToString());
        Assert.Null(spec.Shared);
    }

    [Fact]
    public void Full_Parsed()
    {
        var input = new ClusterSpecInput
        {
            Name = "lab-7", Workers = 2, Head = false, Cpus = 4, Memory = "2G", Disk = "20G", Shared = "100G",
            Image = "debian-12", Packages = ["openmpi-bin", "gcc", "gcc"], SshKeys = [Ed25519Key],
            Start = "2030-01-02T09:00:00Z", Duration = "7d", Sites = ["b"], Policy = "spread", Subnet = "192.168.50.0/24",
        };

        var spec = ClusterSpecParser.Parse(input, Context).Spec!;

        Assert.Equal(2, spec.NodeCount);
        Assert.Equal(["node-01", "node-02"], spec.NodeNames().Select(n => n.Name));
        Assert.Equal(100 * 1024, spec.Shared!.Value.Mebibytes);
        Assert.Equal(["gcc", "openmpi-bin"], spec.Packages);
        Assert.Equal(new DateTimeOffset(2030, 1, 9, 9, 0, 0, TimeSpan.Zero), spec.End);
        Assert.Equal(PlacementPolicy.Spread, spec.Policy);
        Assert.Equal([new SiteShare("b", null)], spec.Sites);
    }

    [Fact]
    public void EveryProblem_IsListedAtOnce()
    {
        var input = new ClusterSpecInput
        {
            Name = "Bad Name", Workers = 0, Cpus = -2, Memory = "12X", Disk = "1T0", Image = "windows",
            Packages = ["ok", "NOT OK"], SshKeys = ["ssh-rsa nope"], Start = "2020-01-01T00:00:00Z", End = "yesterday",
            Sites = ["mars"], Policy = "random", Subnet = "8.8.8.0/24",
        };

        var problems = ClusterSpecParser.Parse(input, Context).Problems;

        var fields = problems.Select(p => p.Field).ToHashSet();
        Assert.Equal(
            new HashSet<string> { "name", "workers", "cpus", "memory", "disk", "image", "packages[1]", "sshKeys[0]", "start", "end", "sites[0]", "policy", "subnet" },
            fields);
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("-x", "not a valid name")]
    [InlineData("x-", "not a valid name")]
    [InlineData("UPPER", "not a valid name")]
    public void Name_Checked(string? name, string expected)
    {
        var problems = ClusterSpecParser.Parse(new ClusterSpecInput { Name = name, Workers = 1 }, Context).Problems;
        Assert.Contains(problems, p => p.Field == "name" && p.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Name_TooLong_SaysLength()
    {
        var problems = ClusterSpecParser.Parse(new ClusterSpecInput { Name = new string('a', 64), Workers = 1 }, Context).Problems;
        Assert.Contains(problems, p => p.Field == "name" && p.Message.Contains("64 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void Workers_Missing_Required()
    {
        var problems = ClusterSpecParser.Parse(new ClusterSpecInput { Name = "c" }, Context).Problems;
        Assert.Contains(problems, p => p.Field == "workers" && p.Message == "is required");
    }

    [Fact]
    public void Window_KeptToTheMillisecond()
    {
        var context = Context with { Now = Now.AddTicks(1234567) };
        var spec = ClusterSpecParser.Parse(new ClusterSpecInput { Name = "c", Workers = 1, Duration = "1h" }, context).Spec!;
        Assert.Equal(0, spec.Start.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.Equal(0, spec.End.Ticks % TimeSpan.TicksPerMillisecond);
    }

    [Theory]
    [InlineData(new[] { "a:2", "b:3" }, null)]
    [InlineData(new[] { "a:2", "b:2" }, "add up to 4")]
    [InlineData(new[] { "a:2", "b" }, "every site or for none")]
    [InlineData(new[] { "a:0", "b:5" }, "SITE:COUNT")]
    [InlineData(new[] { "a:x" }, "SITE:COUNT")]
    [InlineData(new[] { "mars:5" }, "not this site or one of its peers")]
    [InlineData(new[] { "a:3", "a:2" }, "listed twice")]
    public void SiteCounts_Checked(string[] sites, string? problem)
    {
        var result = ClusterSpecParser.Parse(new ClusterSpecInput { Name = "c", Workers = 4, Sites = sites }, Context);
        if (problem is null)
        {
            Assert.True(result.Ok, string.Join("; ", result.Problems));
            Assert.Equal([new SiteShare("a", 2), new SiteShare("b", 3)], result.Spec!.Sites);
        }
        else
        {
            Assert.Contains(result.Problems, p => p.Field.StartsWith("sites", StringComparison.Ordinal) && p.Message.Contains(problem, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("100M", 100)]
    [InlineData("1G", 1000)]
    [InlineData("fast", null)]
    [InlineData("0M", null)]
    public void WanRate_ParsedInMbit_OrRefused(string text, int? mbit)
    {
        var result = ClusterSpecParser.Parse(new ClusterSpecInput { Name = "c", Workers = 1, WanRate = text }, Context);
        if (mbit is null)
        {
            Assert.Contains(result.Problems, p => p.Field == "wanRate" && p.Message.Contains("is not a rate", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(mbit, result.Spec!.WanRate?.Mbit);
        }
    }

    [Fact]
    public void EndBeforeStart_Refused()
    {
        var input = new ClusterSpecInput { Name = "c", Workers = 1, Start = "2030-01-05T00:00:00Z", End = "2030-01-04T00:00:00Z" };
        Assert.Contains(ClusterSpecParser.Parse(input, Context).Problems, p => p.Field == "end" && p.Message.Contains("not after", StringComparison.Ordinal));
    }

    [Fact]
    public void EndAndDuration_Refused()
    {
        var input = new ClusterSpecInput { Name = "c", Workers = 1, End = "2030-01-04T00:00:00Z", Duration = "1h" };
        Assert.Contains(ClusterSpecParser.Parse(input, Context).Problems, p => p.Field == "end");
    }

    [Fact]
    public void StartWithinGrace_IsNow()
    {
        var input = new ClusterSpecInput { Name = "c", Workers = 1, Start = (Now - TimeSpan.FromSeconds(30)).ToString("O") };
        Assert.True(ClusterSpecParser.Parse(input, Context).Ok);
    }

    [Fact]
    public void Subnet_TooSmallForNodes_Refused()
    {
        var input = new ClusterSpecInput { Name = "c", Workers = 20, Subnet = "10.1.0.0/28" };
        Assert.Contains(ClusterSpecParser.Parse(input, Context).Problems, p => p.Field == "subnet" && p.Message.Contains("holds", StringComparison.Ordinal));
    }

    [Fact]
    public void LargeCluster_GetsALargeEnoughDefaultSubnet()
    {
        var spec = ClusterSpecParser.Parse(new ClusterSpecInput { Name = "c", Workers = 9999 }, Context).Spec!;
        Assert.True(spec.Subnet.NodeCapacity >= 10_000);
    }

    [Theory]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHm3HkWNaZ9tBWrYjvS2ePq6hGf7W0m0n3C1DTPKs2Uu", true)]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIHm3HkWNaZ9tBWrYjvS2ePq6hGf7W0m0n3C1DTPKs2Uu x", false)]
    [InlineData("ssh-ed25519 !!!notbase64", false)]
    [InlineData("hello world", false)]
    [InlineData("ssh-ed25519", false)]
    public void SshKeys_Checked(string key, bool ok) => Assert.Equal(ok, SshPublicKey.TryValidate(key, out _));
}
