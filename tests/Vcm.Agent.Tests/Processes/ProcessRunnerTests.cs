using Vcm.Drivers.Processes;
using Xunit;

namespace Vcm.Agent.Tests.Processes;

/// <summary>
/// The runner on real child processes: every way out of a run but the program's own exit kills the program's whole
/// tree and reaps it, also while its standard input is still being written.
/// </summary>
public sealed class ProcessRunnerTests : IDisposable
{
    /// <summary>More than a pipe holds (64 KiB), so writing it blocks until the child reads.</summary>
    private static readonly string LargeInput = new('x', 4 << 20);

    /// <summary>How long a test waits for a run that should return at once; a run that hangs fails the test instead.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);

    private readonly ChildProcesses _children = new();

    /// <summary>A child that never reads its input: it starts a grandchild, notes both PIDs and waits.</summary>
    private ProcessSpec Ignorer => _children.Shell(
        $"sleep {_children.Tag} & echo $! > \"$1\"; echo $$ > \"$2\"; wait",
        _children.File("grandchild.pid"),
        _children.File("child.pid"));

    [Fact]
    public async Task Run_ChildNeverReadsALargeInput_TimesOutAndKillsItsTree()
    {
        var spec = Ignorer with { StandardInput = LargeInput, Timeout = TimeSpan.FromSeconds(5) };

        var run = ProcessRunner.Instance.RunAsync(spec, CancellationToken.None);

        Assert.True(await Returns(run), "the run still blocks on writing the input after its timeout");
        await Assert.ThrowsAsync<TimeoutException>(() => run);
        await AssertTreeGoneAsync();
    }

    [Fact]
    public async Task Run_CancelledWhileChildIgnoresItsInput_KillsItsTreeAndThrows()
    {
        using var cancel = new CancellationTokenSource();
        var spec = Ignorer with { StandardInput = LargeInput, Timeout = TimeSpan.FromMinutes(10) };

        var run = ProcessRunner.Instance.RunAsync(spec, cancel.Token);
        Assert.NotNull(await _children.PidAsync("child.pid"));
        await cancel.CancelAsync();

        Assert.True(await Returns(run), "the run still blocks on writing the input after it was cancelled");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertTreeGoneAsync();
    }

    [Fact]
    public async Task Run_TimesOutWithoutInput_KillsItsTree()
    {
        var spec = Ignorer with { Timeout = TimeSpan.FromSeconds(3) };

        await Assert.ThrowsAsync<TimeoutException>(() => ProcessRunner.Instance.RunAsync(spec, CancellationToken.None));

        await AssertTreeGoneAsync();
    }

    [Fact]
    public async Task Run_ChildExitsWithoutReadingItsInput_ReturnsItsExitCodeAndOutput()
    {
        var spec = _children.Shell("echo refused >&2; exit 3") with { StandardInput = LargeInput };

        var result = await ProcessRunner.Instance.RunAsync(spec, CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("refused", result.StandardError.Trim());
    }

    [Fact]
    public async Task Run_ChildReadsItsInput_GetsAllOfIt()
    {
        var spec = _children.Shell("wc -c") with { StandardInput = LargeInput };

        var result = await ProcessRunner.Instance.RunAsync(spec, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(LargeInput.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Run_CancelledBeforeItStarts_RunsNothing()
    {
        var marker = _children.File("ran");
        var spec = _children.Shell("touch \"$1\"", marker);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessRunner.Instance.RunAsync(spec, new CancellationToken(canceled: true)));

        Assert.False(File.Exists(marker), "the program ran although the run was cancelled before it started");
    }

    public void Dispose() => _children.Dispose();

    private static async Task<bool> Returns(Task run) => await Task.WhenAny(run, Task.Delay(Hang)) == run;

    /// <summary>The child is reaped by the time the run returned; the grandchild, killed with it, dies right after.</summary>
    private async Task AssertTreeGoneAsync()
    {
        var child = await _children.PidAsync("child.pid");
        var grandchild = await _children.PidAsync("grandchild.pid");
        Assert.NotNull(child);
        Assert.NotNull(grandchild);
        Assert.False(ChildProcesses.Runs(child.Value), $"the child {child} still runs after the run returned");
        Assert.True(await ChildProcesses.GoneAsync(grandchild.Value), $"the grandchild {grandchild} outlived the run");
    }
}
