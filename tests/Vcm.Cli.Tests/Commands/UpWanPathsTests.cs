using System.CommandLine;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Tests.Lab;
using Xunit;

namespace Vcm.Cli.Tests.Commands;

/// <summary>`vcm up --wan-paths N`: only with a lab of two sites, 1 to 4; a mistake is a usage error and nothing is run.</summary>
public sealed class UpWanPathsTests
{
    [Theory]
    [InlineData("--wan-paths 2", "use it with --lab 2xN")]
    [InlineData("--lab 1x3 --wan-paths 2", "this lab has one site")]
    [InlineData("--lab 2x2 --wan-paths 5", "--wan-paths 5 is not between 1 and 4")]
    [InlineData("--lab 2x2 --wan-paths 0", "--wan-paths 0 is not between 1 and 4")]
    public async Task Up_WanPathsMisused_UsageErrorSaysWhy_NothingRun(string args, string why)
    {
        using var lab = new RecordedLab();
        var vcm = VcmCommandLine.Create(lab.Services);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = await vcm.Parse(["up", "--data", lab.DataDirectory, .. args.Split(' ')]).InvokeAsync();
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(why, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(lab.Runner.Commands);
    }
}
