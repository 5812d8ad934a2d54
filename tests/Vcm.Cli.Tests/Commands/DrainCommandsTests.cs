using Vcm.Api;
using Vcm.Cli.Commands.Hosts;
using Vcm.Cli.Commands.Processes;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Tests.Lab;
using Xunit;

namespace Vcm.Cli.Tests.Commands;

/// <summary>`vcm host drain|undrain|consolidate` parse and say what happened; --migrations-per-host reaches the manager's options.</summary>
public sealed class DrainCommandsTests
{
    [Fact]
    public void HostCommands_Parse_AndRefuseWhatTheyDoNotTake()
    {
        using var lab = new RecordedLab();
        var vcm = VcmCommandLine.Create(lab.Services);

        Assert.Empty(vcm.Parse(["host", "drain", "h1", "--wait", "--timeout", "60", "--output", "json"]).Errors);
        Assert.Empty(vcm.Parse(["host", "undrain", "h1"]).Errors);
        Assert.Empty(vcm.Parse(["host", "consolidate", "--dry-run", "--output", "json"]).Errors);
        Assert.NotEmpty(vcm.Parse(["host", "drain"]).Errors);
        Assert.NotEmpty(vcm.Parse(["host", "consolidate", "h1"]).Errors);
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("up")]
    public void MigrationsPerHost_BecomesTheManagersLimit(string name)
    {
        var command = name == "manager" ? ManagerCommand.Create() : UpCommand.Create(CliServices.Real);
        using var cli = new Invocation(command.Parse(["--migrations-per-host", "3"]));
        using var without = new Invocation(command.Parse([]));

        Assert.Equal((3, 1), (ManagerCommand.Read(cli).MigrationsPerHost, ManagerCommand.Read(without).MigrationsPerHost));
    }

    [Fact]
    public void Drain_SaysTheProgressAndEveryReservation()
    {
        var view = new DrainView("h2", "draining", new HostDrainView(3, 1, ["the gateway of cluster g (does not move live)"]),
        [
            new ReplanView("later", true, "head to h3, node-01 to h4"),
            new ReplanView("full", false, "no other ready compute host has room for head"),
        ]);

        Assert.Equal(
        [
            "host h2 is draining: 3 running nodes left, 1 moving; it still holds the gateway of cluster g (does not move live)",
            "reservation later re-planned: head to h3, node-01 to h4",
            "reservation full stays on h2: no other ready compute host has room for head",
        ], HostDrainCommand.Describe(view));
    }

    [Fact]
    public void Consolidate_SaysTheHostsItEmpties_TheMoves_AndWhatItKeeps()
    {
        var plan = new ConsolidationView(true, ["h2", "h3"], [new PlannedMoveView("s", "node-01", "h2", "h1"), new PlannedMoveView("s", "node-02", "h3", "h1")],
            [new HostNoteView("h1", "the gateway of cluster s (does not move live)")]);

        Assert.Equal(
        [
            "would empty 2 hosts: h2, h3",
            "  s/node-01: h2 -> h1",
            "  s/node-02: h3 -> h1",
            "keeps h1: the gateway of cluster s (does not move live)",
        ], HostConsolidateCommand.Describe(plan));
        Assert.Equal("no host can be emptied", HostConsolidateCommand.Describe(new ConsolidationView(false, [], [], [])).First());
    }
}
