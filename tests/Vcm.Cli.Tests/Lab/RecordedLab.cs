using System.Text.Json;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Lab;
using Vcm.Cli.Tests.Infrastructure;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.Cli.Tests.Lab;

/// <summary>
/// A lab 1x2 as `vcm up --lab` records it (lab.json and the hosts' folders in a scratch data folder) over a runner
/// that runs nothing: `ip -j netns list` names the lab's namespaces, `ip netns pids` answers what
/// <paramref name="pids"/> says (by default nothing runs in them), everything else succeeds unless
/// <paramref name="other"/> answers it. Deadlines are read from <paramref name="clock"/> (default a manual clock).
/// </summary>
public sealed class RecordedLab : IDisposable
{
    private readonly TempDirectory _data = new("vcm-cli-lab");

    public RecordedLab(Func<string, string>? pids = null, Func<ProcessSpec, (int, string, string)?>? other = null, ManualClock? clock = null)
    {
        Clock = clock ?? new ManualClock();
        Assert.True(LabPlan.TryParse("1x2", 8710, out var plan, out var error), error);
        State = new LabState(plan!, _data.Path, new Dictionary<string, int>());
        State.Save();
        foreach (var host in plan!.AllHosts)
        {
            Directory.CreateDirectory(State.HostData(host.Name));
        }

        var namespaces = JsonSerializer.Serialize(plan.Sites.SelectMany(s => s.Hosts.Select(h => h.Netns).Append(s.SwitchNetns).Append(s.ExternalNetns)).Select(n => new { name = n }));
        Runner = new RecordingRunner(spec => spec.CommandLine switch
        {
            "ip -j netns list" => (0, namespaces, ""),
            var line when line.StartsWith("ip netns pids ", StringComparison.Ordinal) => (0, pids?.Invoke(spec.Arguments[^1]) ?? "", ""),
            _ => other?.Invoke(spec),
        });
    }

    public LabState State { get; }

    public RecordingRunner Runner { get; }

    public ManualClock Clock { get; }

    public CliServices Services => new(Runner, Clock);

    public string DataDirectory => _data.Path;

    public bool Recorded => File.Exists(LabState.FileFor(_data.Path));

    /// <summary>Where in the runner's commands the first one starting with <paramref name="prefix"/> is (-1: none).</summary>
    public int First(string prefix) => Runner.Commands.ToList().FindIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Where in the runner's commands the last one starting with <paramref name="prefix"/> is (-1: none).</summary>
    public int Last(string prefix) => Runner.Commands.ToList().FindLastIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));

    public void Dispose() => _data.Dispose();
}
