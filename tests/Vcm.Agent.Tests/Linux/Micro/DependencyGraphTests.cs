using Vcm.Agent.Linux.Images.Micro;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>Reading `apt-cache depends --recurse` output.</summary>
public sealed class DependencyGraphTests
{
    private const string Output = """
        linux-image-cloud-amd64
          Depends: linux-image-6.1.0-56-cloud-amd64
        dropbear-bin
          Depends: libc6
          Depends: libtomcrypt1
         |Depends: zlib1g
          Depends: <virtual-thing>
        libc6
          Depends: libgcc-s1
        libtomcrypt1
          Depends: libc6
          Depends: libgmp10
          PreDepends: libtommath1
        <virtual-thing>
        libgcc-s1
          Depends: libc6
        """;

    [Fact]
    public void Closure_TransitiveDependsAndPreDepends_WithoutVirtualsOrItself()
    {
        var graph = DependencyGraph.Parse(Output);

        Assert.Equal(["libc6", "libgcc-s1", "libgmp10", "libtomcrypt1", "libtommath1", "zlib1g"], graph.Closure("dropbear-bin"));
        Assert.Equal(["linux-image-6.1.0-56-cloud-amd64"], graph.Direct("linux-image-cloud-amd64"));
        Assert.Empty(graph.Direct("unknown"));
    }
}
