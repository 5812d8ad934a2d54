using System.CommandLine;
using Vcm.Agent.Sim;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Processes;

/// <summary>The --sim-* options shared by `up` and `agent`.</summary>
public sealed class SimulationOptions
{
    public Option<int> LatencyMs { get; } = new("--sim-latency-ms") { Description = "Delay of every simulated host operation, in milliseconds." };

    public Option<double> FailureRate { get; } = new("--sim-failure-rate") { Description = "Chance (0-1) that a simulated operation fails." };

    public Option<int?> Cpus { get; } = new("--sim-cpus") { Description = "CPUs of each simulated host (default 32)." };

    public Option<string?> Memory { get; } = new("--sim-memory") { Description = "Memory of each simulated host (default 128G)." };

    public Option<string?> Disk { get; } = new("--sim-disk") { Description = "Disk of each simulated host (default 2T)." };

    public Option<int?> Seed { get; } = new("--sim-seed") { Description = "Seed for the simulated failures." };

    public void AddTo(Command command)
    {
        command.Add(LatencyMs);
        command.Add(FailureRate);
        command.Add(Cpus);
        command.Add(Memory);
        command.Add(Disk);
        command.Add(Seed);
    }

    public SimOptions Read(Invocation cli, string? stateDirectory)
    {
        var rate = cli.Get(FailureRate);
        if (rate is < 0 or > 1)
        {
            throw new CliException($"--sim-failure-rate {rate} is not between 0 and 1", ExitCodes.Usage);
        }

        if (cli.Get(LatencyMs) < 0)
        {
            throw new CliException("--sim-latency-ms must not be negative", ExitCodes.Usage);
        }

        var defaults = new SimOptions();
        return new SimOptions
        {
            Cpus = cli.Get(Cpus) ?? defaults.Cpus,
            MemoryMb = Size(cli.Get(Memory), "--sim-memory") ?? defaults.MemoryMb,
            DiskMb = Size(cli.Get(Disk), "--sim-disk") ?? defaults.DiskMb,
            Latency = TimeSpan.FromMilliseconds(cli.Get(LatencyMs)),
            FailureRate = rate,
            Seed = cli.Get(Seed),
            StateDirectory = stateDirectory,
        };
    }

    /// <summary>
    /// The host shape and seed given to `up --sim`, as the flags of the `vcm agent --sim` it starts (the latency and
    /// failure rate it passes itself; what was not given is left to the agent's defaults).
    /// </summary>
    public IEnumerable<string> AgentArguments(Invocation cli)
    {
        foreach (var (option, value) in new (Option, string?)[]
        {
            (Cpus, cli.Get(Cpus)?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (Memory, cli.Get(Memory)),
            (Disk, cli.Get(Disk)),
            (Seed, cli.Get(Seed)?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        })
        {
            if (value is not null)
            {
                yield return option.Name;
                yield return value;
            }
        }
    }

    private static long? Size(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return Domain.Sizes.ByteSize.TryParse(text, out var size, out var error)
            ? size.Mebibytes
            : throw new CliException($"{option} {error}", ExitCodes.Usage);
    }
}
