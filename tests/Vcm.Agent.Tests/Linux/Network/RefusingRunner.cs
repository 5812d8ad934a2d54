using Vcm.Drivers.Processes;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>A process runner that records what it was asked to run and runs nothing (every program "fails").</summary>
public sealed class RefusingRunner : IProcessRunner
{
    private readonly List<string> _calls = [];

    public IReadOnlyList<string> Calls => _calls;

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        _calls.Add(spec.CommandLine);
        return Task.FromResult(new ProcessResult(spec, 1, "", "refused by the test", TimeSpan.Zero));
    }

    public Task<int> RunAttachedAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        _calls.Add(spec.CommandLine);
        return Task.FromResult(1);
    }

    public IRunningProcess Start(ProcessSpec spec, Action<string>? output = null)
    {
        _calls.Add(spec.CommandLine);
        throw new ProcessFailedException(new ProcessResult(spec, 127, "", "refused by the test", TimeSpan.Zero));
    }
}
