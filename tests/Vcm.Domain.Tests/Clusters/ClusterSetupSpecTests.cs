using System.Text;
using Vcm.Domain.Clusters;
using Xunit;

namespace Vcm.Domain.Tests.Clusters;

/// <summary>--role and --file of a create request: what is taken, what is refused and why.</summary>
public sealed class ClusterSetupSpecTests
{
    private static readonly SpecContext Context = new(
        new DateTimeOffset(2030, 1, 1, 8, 0, 0, TimeSpan.Zero), new HashSet<string> { "micro", "debian-12" }, new HashSet<string> { "a" });

    private static ClusterSpecInput Input(string? role = null, bool? head = null, params ClusterFileInput[] files) => new()
    {
        Name = "hpc", Workers = 2, Image = "debian-12", Role = role, Head = head, Files = files.Length == 0 ? null : files,
    };

    private static ClusterFileInput File(string? path, string? content = "aGk=", string? mode = null) => new() { Path = path, Content = content, Mode = mode };

    [Fact]
    public void SlurmRole_AddsItsPackagesToTheLayer_BesideTheTenants()
    {
        var spec = ClusterSpecParser.Parse(Input("slurm") with { Packages = ["openmpi-bin", "munge"] }, Context).Spec!;

        Assert.Equal(ClusterRole.Slurm, spec.Role);
        Assert.Equal(["munge", "openmpi-bin"], spec.Packages);
        Assert.Equal(["munge", "openmpi-bin", "slurm-client", "slurmctld", "slurmd"], spec.LayerPackages());
    }

    [Fact]
    public void NoRole_IsNone_AndAddsNoPackages()
    {
        var spec = ClusterSpecParser.Parse(Input(), Context).Spec!;

        Assert.Equal(ClusterRole.None, spec.Role);
        Assert.Empty(spec.LayerPackages());
    }

    [Fact]
    public void SlurmWithoutAHead_AndAnUnknownRole_AreRefused()
    {
        var noHead = ClusterSpecParser.Parse(Input("slurm", head: false), Context);
        var unknown = ClusterSpecParser.Parse(Input("kubernetes"), Context);

        Assert.Contains(noHead.Problems, p => p.Field == "role" && p.Message.Contains("controller", StringComparison.Ordinal));
        Assert.Contains(unknown.Problems, p => p.Field == "role" && p.Message.Contains("'kubernetes'", StringComparison.Ordinal));
    }

    [Fact]
    public void Files_AreKeptWithTheirModes_ThreeDigitModesWidened()
    {
        var spec = ClusterSpecParser.Parse(Input(null, null, File("/home/mpi/hello.c"), File("/opt/run.sh", mode: "755")), Context).Spec!;

        Assert.Equal([new ClusterFile("/home/mpi/hello.c", "0644", "aGk="), new ClusterFile("/opt/run.sh", "0755", "aGk=")], spec.Files);
        Assert.Equal(ClusterSpecJson.Serialize(spec), ClusterSpecJson.Serialize(ClusterSpecJson.Deserialize(ClusterSpecJson.Serialize(spec))));
    }

    [Theory]
    [InlineData(null, "files[0].path")]
    [InlineData("hello.c", "files[0].path")]
    [InlineData("/home/", "files[0].path")]
    [InlineData("/home/../etc/passwd", "files[0].path")]
    [InlineData("/home//x", "files[0].path")]
    [InlineData("/proc/x", "files[0].path")]
    [InlineData("/run/x", "files[0].path")]
    [InlineData("/home/a\nb", "files[0].path")]
    public void BadPaths_AreRefused_NamingTheFile(string? path, string field)
    {
        var result = ClusterSpecParser.Parse(Input(null, null, File(path)), Context);

        Assert.Null(result.Spec);
        Assert.Contains(result.Problems, p => p.Field == field);
    }

    [Fact]
    public void EveryFileProblem_IsListed_AndNoPartialSpec()
    {
        var result = ClusterSpecParser.Parse(Input(null, null, File("/a", "not base64!"), File("/b", mode: "999"), File("/a")), Context);

        Assert.Null(result.Spec);
        Assert.Equal(["files[0].content", "files[1].mode", "files[2].path"], result.Problems.Select(p => p.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TooMuchContent_OrFilesWithoutAHead_AreRefused()
    {
        var big = Convert.ToBase64String(Encoding.ASCII.GetBytes(new string('x', SpecLimits.MaxFileBytes / 2 + 1)));
        var tooMuch = ClusterSpecParser.Parse(Input(null, null, File("/a", big), File("/b", big)), Context);
        var headless = ClusterSpecParser.Parse(Input(null, false, File("/a")), Context);

        Assert.Contains(tooMuch.Problems, p => p.Field == "files" && p.Message.Contains("bytes together", StringComparison.Ordinal));
        Assert.Contains(headless.Problems, p => p.Field == "files" && p.Message.Contains("head", StringComparison.Ordinal));
    }
}
