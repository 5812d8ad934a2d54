using Vcm.Manager.Configuration;
using Xunit;

namespace Vcm.Manager.Tests.Hosting;

/// <summary>The drain's migrations per host is checked at start: 1 to 64.</summary>
public sealed class MigrationsPerHostOptionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void OutOfRange_Refused_NamingTheSetting(int value)
    {
        var problem = Assert.Single(ManagerOptionsValidator.Validate(new ManagerOptions { DataDirectory = "/tmp/x", MigrationsPerHost = value }));
        Assert.Contains("--migrations-per-host", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_IsOne_AndValid()
    {
        var options = new ManagerOptions { DataDirectory = "/tmp/x" };
        Assert.Equal(1, options.MigrationsPerHost);
        Assert.Empty(ManagerOptionsValidator.Validate(options));
    }
}
