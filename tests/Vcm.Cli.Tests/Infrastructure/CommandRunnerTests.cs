using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;
using Xunit;

namespace Vcm.Cli.Tests.Infrastructure;

/// <summary>How an API refusal becomes an exit code and one sentence.</summary>
public sealed class CommandRunnerTests
{
    [Fact]
    public async Task Conflict_NameTaken_ConflictExitCode()
    {
        var code = await RunAsync(new VcmApiException(409, new ProblemView
        {
            Status = 409, Title = "Conflict", Detail = "A cluster named 'dup' exists already; choose another name or delete that cluster first.",
        }));

        Assert.Equal(ExitCodes.Conflict, code);
    }

    [Theory]
    [InlineData("/problems/no-capacity", false)]
    [InlineData("https://vcm.example/problems/no-capacity", false)]
    [InlineData(null, true)]
    public async Task Conflict_NoCapacity_RefusedExitCode(string? type, bool withEarliestStart)
    {
        var code = await RunAsync(new VcmApiException(409, new ProblemView
        {
            Type = type, Status = 409, Detail = "No host has room.", EarliestStart = withEarliestStart ? DateTimeOffset.UnixEpoch : null,
        }));

        Assert.Equal(ExitCodes.Refused, code);
    }

    private static async Task<int> RunAsync(Exception failure)
    {
        var command = new RootCommand();
        CommandRunner.SetAction(command, (Invocation _, CancellationToken _) => Task.FromException<int>(failure));
        return await command.Parse([]).InvokeAsync();
    }
}
