using Vcm.Domain.Clusters;
using Xunit;

namespace Vcm.Domain.Tests.Clusters;

/// <summary>--install: auto by default, layer or boot when asked, anything else a problem naming the field.</summary>
public sealed class InstallSpecTests
{
    private static readonly SpecContext Context = new(
        new DateTimeOffset(2030, 1, 1, 8, 0, 0, TimeSpan.Zero), new HashSet<string> { "micro", "debian-12" }, new HashSet<string> { "a" });

    [Theory]
    [InlineData(null, InstallMode.Auto)]
    [InlineData("auto", InstallMode.Auto)]
    [InlineData("layer", InstallMode.Layer)]
    [InlineData("boot", InstallMode.Boot)]
    public void Parse_Install_Mode(string? text, InstallMode expected)
    {
        var result = ClusterSpecParser.Parse(new ClusterSpecInput { Name = "c", Workers = 1, Image = "debian-12", Packages = ["hello"], Install = text }, Context);

        Assert.Empty(result.Problems);
        Assert.Equal(expected, result.Spec!.Install);
    }

    [Fact]
    public void Parse_UnknownInstall_Rejected()
    {
        var result = ClusterSpecParser.Parse(new ClusterSpecInput { Name = "c", Workers = 1, Install = "pip" }, Context);

        Assert.Contains(result.Problems, p => p.Field == "install" && p.Message.Contains("auto, layer or boot", StringComparison.Ordinal));
    }
}
