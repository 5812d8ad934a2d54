using Vcm.Cli.Commands.Processes;
using Vcm.Cli.Infrastructure;
using Xunit;

namespace Vcm.Cli.Tests.Commands;

/// <summary>`vcm manager` and `vcm up` take --fence-command and --fence-timeout into the manager's options.</summary>
public sealed class FenceFlagsTests
{
    [Theory]
    [InlineData("manager")]
    [InlineData("up")]
    public void TheFlags_BecomeTheManagersFence(string name)
    {
        var command = name == "manager" ? ManagerCommand.Create() : UpCommand.Create(CliServices.Real);
        using var cli = new Invocation(command.Parse(["--fence-command", "fence.sh", "--fence-timeout", "15"]));

        var options = ManagerCommand.Read(cli);

        Assert.Equal((Path.GetFullPath("fence.sh"), TimeSpan.FromSeconds(15)), (options.FenceCommand, options.FenceTimeout));
    }

    [Fact]
    public void Without_NoFenceCommand()
    {
        using var cli = new Invocation(ManagerCommand.Create().Parse([]));

        Assert.Null(ManagerCommand.Read(cli).FenceCommand);
    }
}
