using Vcm.Cli.Commands.Processes;
using Vcm.Cli.Infrastructure;
using Xunit;

namespace Vcm.Cli.Tests.Commands;

/// <summary>`vcm manager` and `vcm up` take --fence-command, --fence-timeout and --host-down-after into the manager's options.</summary>
public sealed class FenceFlagsTests
{
    [Theory]
    [InlineData("manager")]
    [InlineData("up")]
    public void TheFlags_BecomeTheManagersFence(string name)
    {
        var command = name == "manager" ? ManagerCommand.Create() : UpCommand.Create(CliServices.Real);
        using var cli = new Invocation(command.Parse(["--fence-command", "fence.sh", "--fence-timeout", "15", "--host-down-after", "12"]));

        var options = ManagerCommand.Read(cli);

        Assert.Equal((Path.GetFullPath("fence.sh"), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(12)), (options.FenceCommand, options.FenceTimeout, options.HostDownAfter));
    }

    [Fact]
    public void Without_NoFenceCommand()
    {
        using var cli = new Invocation(ManagerCommand.Create().Parse([]));

        var options = ManagerCommand.Read(cli);

        Assert.Null(options.FenceCommand);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HostDownAfter);
    }
}
