using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers.Processes;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosts;
using Vcm.Store.Audit;
using Vcm.Store.Records;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Hosts;

/// <summary>The provider's fence command, run for real: what it is told, and what its exit (or its silence) means.</summary>
public sealed class CommandFenceTests : IDisposable
{
    private static readonly FenceTarget Target = new("h7", "10.20.0.7", "east");
    private readonly TempDirectory _dir = new("vcm-fence");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ExitZero_Fenced_AndTheCommandWasToldWhichHostOfWhichSite()
    {
        var seen = _dir.Combine("seen");
        var fence = new CommandFence(Script("fence-ok", $"echo \"$VCM_HOST $VCM_HOST_ADDRESS $VCM_SITE $#\" > {seen}\necho powered off h7 >&2\nexit 0"), TimeSpan.FromSeconds(30), ProcessRunner.Instance);

        var result = await fence.FenceAsync(Target, CancellationToken.None);

        Assert.True(result.Fenced, result.Detail);
        Assert.Contains("powered off h7", result.Detail, StringComparison.Ordinal);
        Assert.Equal("h7 10.20.0.7 east 0\n", await File.ReadAllTextAsync(seen));
    }

    [Fact]
    public async Task ExitNonZero_NotFenced_WithTheExitCodeAndWhatItSaid()
    {
        var fence = new CommandFence(Script("fence-no", "echo 'BMC did not answer' >&2\nexit 3"), TimeSpan.FromSeconds(30), ProcessRunner.Instance);

        var result = await fence.FenceAsync(Target, CancellationToken.None);

        Assert.False(result.Fenced);
        Assert.Contains("exited 3", result.Detail, StringComparison.Ordinal);
        Assert.Contains("BMC did not answer", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PastItsTimeout_EndedAndNotFenced()
    {
        var pidFile = _dir.Combine("pid");
        var fence = new CommandFence(Script("fence-hangs", $"echo $$ > {pidFile}\nexec sleep 600"), TimeSpan.FromMilliseconds(500), ProcessRunner.Instance);

        var result = await fence.FenceAsync(Target, CancellationToken.None);

        Assert.False(result.Fenced);
        Assert.Contains("did not finish within", result.Detail, StringComparison.Ordinal);
        Assert.False(Signals.IsAlive(int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture)), "the fence command was left running");
    }

    [Fact]
    public async Task ACommandThatCannotStart_NotFenced()
    {
        var result = await new CommandFence(_dir.Combine("missing"), TimeSpan.FromSeconds(5), ProcessRunner.Instance).FenceAsync(Target, CancellationToken.None);

        Assert.False(result.Fenced);
        Assert.Contains("did not run", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoFenceConfigured_NeverFenced() =>
        Assert.False((await new NoFence().FenceAsync(Target, CancellationToken.None)).Fenced);

    [Fact]
    public void Settings_AFenceCommandThatIsNoExecutableFile_IsNamed()
    {
        var notExecutable = _dir.Combine("plain");
        File.WriteAllText(notExecutable, "exit 0\n");
        foreach (var command in new[] { notExecutable, _dir.Combine("missing"), "relative/fence" })
        {
            var problem = Assert.Single(ManagerOptionsValidator.Validate(new ManagerOptions { DataDirectory = "/tmp/x", FenceCommand = command }));
            Assert.Contains("--fence-command", problem, StringComparison.Ordinal);
        }

        Assert.Empty(ManagerOptionsValidator.Validate(new ManagerOptions { DataDirectory = "/tmp/x", FenceCommand = Script("good", "exit 0") }));
        Assert.Single(ManagerOptionsValidator.Validate(new ManagerOptions { DataDirectory = "/tmp/x", FenceTimeout = TimeSpan.Zero }));
        var tooShort = Assert.Single(ManagerOptionsValidator.Validate(new ManagerOptions { DataDirectory = "/tmp/x", HostDownAfter = TimeSpan.FromSeconds(2) }));
        Assert.Contains("--host-down-after 2", tooShort, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fencing_IsInTheAuditTrail_EitherWay()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.FromEnvironment());
        var audit = new AuditStore(database.Database);
        var site = new LocalSite("s1", "east", 1000, 1999);
        var host = new HostRecord { Id = "h", SiteId = "s1", AgentId = "a", Name = "h7", Address = "10.20.0.7", Driver = "linux", State = Domain.Hosts.HostState.Down };

        var fenced = await new HostFencing(new CommandFence(Script("yes", "exit 0"), TimeSpan.FromSeconds(30), ProcessRunner.Instance), site, audit, TimeProvider.System, NullLogger<HostFencing>.Instance)
            .FenceAsync(host, "recovery", CancellationToken.None);
        var refused = await new HostFencing(new NoFence(), site, audit, TimeProvider.System, NullLogger<HostFencing>.Instance)
            .FenceAsync(host, "recovery", CancellationToken.None);

        Assert.True(fenced.Fenced);
        Assert.False(refused.Fenced);
        var lines = (await audit.ListAsync(null, 0, 10, CancellationToken.None)).OrderBy(r => r.Status).ToList();
        Assert.Equal([("fence", "/hosts/h7", 200, fenced.Detail), ("fence", "/hosts/h7", 409, refused.Detail)], lines.Select(r => (r.Action, r.Resource, r.Status, r.Detail)));
    }

    private string Script(string name, string body)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
