using Vcm.Drivers.Processes;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>
/// A process runner that records every command and passes it to the real runner, except that the first command
/// starting with <paramref name="failFirst"/> fails (exit 100) and commands starting with <paramref name="fake"/>
/// succeed without running.
/// </summary>
public sealed class FaultyRunner(string failFirst, string fake) : IProcessRunner
{
    private readonly List<string> _commands = [];
    private bool _failed;

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
        var command = spec.CommandLine;
        lock (_commands)
        {
            _commands.Add(command);
            if (!_failed && command.StartsWith(failFirst, StringComparison.Ordinal))
            {
                _failed = true;
                return Task.FromResult(new ProcessResult(spec, 100, "", "E: injected failure", TimeSpan.Zero));
            }
        }

        if (command.StartsWith(fake, StringComparison.Ordinal))
        {
            return Task.FromResult(new ProcessResult(spec, 0, "", "", TimeSpan.Zero));
        }

        return ProcessRunner.Instance.RunAsync(spec, cancellationToken);
    }

    public Task<int> RunAttachedAsync(ProcessSpec spec, CancellationToken cancellationToken) =>
        ProcessRunner.Instance.RunAttachedAsync(spec, cancellationToken);

    public IRunningProcess Start(ProcessSpec spec, Action<string>? output = null) => ProcessRunner.Instance.Start(spec, output);
}
