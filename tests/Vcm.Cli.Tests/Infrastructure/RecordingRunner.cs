using Vcm.Drivers.Processes;

namespace Vcm.Cli.Tests.Infrastructure;

/// <summary>
/// A process runner that runs nothing: it records every command line it is given, in order, and answers each with what
/// <paramref name="answer"/> says (by default, success with no output).
/// </summary>
public sealed class RecordingRunner(Func<ProcessSpec, (int ExitCode, string Output, string Error)?>? answer = null) : IProcessRunner
{
    private readonly List<string> _commands = [];

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_commands)
            {
                return _commands.ToList();
            }
        }
    }

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        Record(spec);
        var (code, output, error) = answer?.Invoke(spec) ?? (0, "", "");
        return Task.FromResult(new ProcessResult(spec, code, output, error, TimeSpan.Zero));
    }

    public Task<int> RunAttachedAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        Record(spec);
        return Task.FromResult(answer?.Invoke(spec)?.ExitCode ?? 0);
    }

    public IRunningProcess Start(ProcessSpec spec, Action<string>? output = null)
    {
        Record(spec);
        throw new InvalidOperationException($"the test runner starts no long-running program ({spec.CommandLine})");
    }

    private void Record(ProcessSpec spec)
    {
        lock (_commands)
        {
            _commands.Add(spec.CommandLine);
        }
    }
}
