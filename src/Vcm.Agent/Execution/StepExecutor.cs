using Vcm.Drivers;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Rpc;

namespace Vcm.Agent.Execution;

/// <summary>Does the steps of an apply request against the hosts' drivers: hosts in parallel, each host's steps in order.</summary>
public sealed class StepExecutor(IReadOnlyDictionary<string, IHostDrivers> hosts, int parallelism = 32)
{
    public async Task<ApplyResponse> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var results = new HostWorkResult[request.Hosts.Count];
        await Parallel.ForAsync(0, request.Hosts.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            results[i] = await ApplyHostAsync(request.Hosts[i], ct);
        });
        return new ApplyResponse(results);
    }

    public async Task<HostWorkResult> ApplyHostAsync(HostWork work, CancellationToken cancellationToken)
    {
        var results = new List<StepResult>(work.Steps.Count);
        if (!hosts.TryGetValue(work.Host, out var drivers))
        {
            results.AddRange(work.Steps.Select(s => Failed(s, $"this agent does not serve a host named {work.Host}", terminal: true)));
            return new HostWorkResult(work.Host, results);
        }

        var failed = false;
        foreach (var step in work.Steps)
        {
            if (failed && !work.ContinueOnError)
            {
                results.Add(new StepResult(step.Kind, step.Target, StepOutcome.Skipped));
                continue;
            }

            var result = await RunStepAsync(drivers, step, cancellationToken);
            failed |= !result.Succeeded;
            results.Add(result);
        }

        return new HostWorkResult(work.Host, results);
    }

    public static async Task<StepResult> RunStepAsync(IHostDrivers drivers, HostStep step, CancellationToken cancellationToken)
    {
        try
        {
            return step switch
            {
                EnsureSegmentStep s => Done(step, await drivers.Network.EnsureSegmentAsync(s.Segment, cancellationToken)),
                DeleteSegmentStep s => Done(step, await drivers.Network.DeleteSegmentAsync(s.Bridge, cancellationToken)),
                EnsureGatewayStep s => Done(step, await drivers.Network.EnsureGatewayAsync(s.Gateway, cancellationToken)),
                DeleteGatewayStep s => Done(step, await drivers.Network.DeleteGatewayAsync(s.Name, cancellationToken)),
                EnsureVpnStep s => Done(step, await drivers.Network.EnsureVpnAsync(s.Vpn, cancellationToken)),
                DeleteVpnStep s => Done(step, await drivers.Network.DeleteVpnAsync(s.Name, cancellationToken)),
                EnsureVolumeStep s => await EnsureVolumeAsync(drivers, s, cancellationToken),
                DeleteVolumeStep s => Done(step, await drivers.Storage.DeleteVolumeAsync(s.Name, cancellationToken)),
                EnsureImageStep s => Done(step, await drivers.Images.EnsureImageAsync(s.Image, s.Peer, cancellationToken)),
                EnsureDiskStep s => Done(step, await drivers.Images.EnsureDiskAsync(s.Disk, cancellationToken)),
                DeleteDiskStep s => Done(step, await drivers.Images.DeleteDiskAsync(s.Name, cancellationToken)),
                EnsureVmStep s => await EnsureVmAsync(drivers, s, cancellationToken),
                DeleteVmStep s => Done(step, await drivers.Compute.DeleteVmAsync(s.Name, cancellationToken)),
                PrepareIncomingVmStep s => await PrepareIncomingAsync(drivers, s, cancellationToken),
                MigrateVmStep s => await MigrateAsync(drivers, s, cancellationToken),
                EnsureMigrationRelayStep s => await EnsureMigrationRelayAsync(drivers, s, cancellationToken),
                DeleteMigrationRelayStep s => Done(step, await drivers.Network.DeleteMigrationRelayAsync(s.Name, cancellationToken)),
                WipeHostStep => await WipeAsync(drivers, step, cancellationToken),
                _ => Failed(step, $"unknown step {step.GetType().Name}", terminal: true),
            };
        }
        catch (DriverException e)
        {
            return Failed(step, e.Message, e.Terminal);
        }
        catch (ProcessFailedException e)
        {
            return Failed(step, e.Message, terminal: false);
        }
        catch (TimeoutException e)
        {
            return Failed(step, e.Message, terminal: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any other error of a driver is this step's failure, not the whole request's.
            return Failed(step, $"{e.GetType().Name}: {e.Message}", terminal: false);
        }
    }

    private static async Task<StepResult> EnsureVmAsync(IHostDrivers drivers, EnsureVmStep step, CancellationToken cancellationToken)
    {
        var ensured = await drivers.Compute.EnsureVmAsync(step.Vm, cancellationToken);
        return new StepResult(step.Kind, step.Target, Map(ensured.Outcome), Vm: ensured.Status);
    }

    private static async Task<StepResult> PrepareIncomingAsync(IHostDrivers drivers, PrepareIncomingVmStep step, CancellationToken cancellationToken)
    {
        var ensured = await drivers.Compute.PrepareIncomingAsync(step.Vm, step.ListenAddress, cancellationToken);
        return new StepResult(step.Kind, step.Target, Map(ensured.Outcome), Incoming: ensured.Status);
    }

    private static async Task<StepResult> EnsureMigrationRelayAsync(IHostDrivers drivers, EnsureMigrationRelayStep step, CancellationToken cancellationToken)
    {
        var ensured = await drivers.Network.EnsureMigrationRelayAsync(step.Relay, cancellationToken);
        return new StepResult(step.Kind, step.Target, Map(ensured.Outcome), Incoming: ensured.Status);
    }

    /// <summary>A migration that failed is the step's failure (not terminal: the VM runs on here), with its report.</summary>
    private static async Task<StepResult> MigrateAsync(IHostDrivers drivers, MigrateVmStep step, CancellationToken cancellationToken)
    {
        var report = await drivers.Compute.MigrateVmAsync(step.Name, step.Destination, cancellationToken);
        return report.Outcome == Vcm.Drivers.Compute.MigrationOutcome.Completed
            ? new StepResult(step.Kind, step.Target, StepOutcome.Updated, Migration: report)
            : new StepResult(step.Kind, step.Target, StepOutcome.Failed, report.Error ?? "the migration failed", Migration: report);
    }

    private static async Task<StepResult> EnsureVolumeAsync(IHostDrivers drivers, EnsureVolumeStep step, CancellationToken cancellationToken)
    {
        var ensured = await drivers.Storage.EnsureVolumeAsync(step.Volume, cancellationToken);
        return new StepResult(step.Kind, step.Target, Map(ensured.Outcome), Volume: ensured.Status);
    }

    private static async Task<StepResult> WipeAsync(IHostDrivers drivers, HostStep step, CancellationToken cancellationToken)
    {
        var (removed, problems) = await HostWipe.RunAsync(drivers, cancellationToken);
        return problems.Count > 0
            ? Failed(step, $"{problems.Count} things could not be removed: {string.Join("; ", problems.Take(5))}", terminal: false)
            : new StepResult(step.Kind, step.Target, removed > 0 ? StepOutcome.Deleted : StepOutcome.Absent);
    }

    private static StepResult Done(HostStep step, EnsureOutcome outcome) => new(step.Kind, step.Target, Map(outcome));

    private static StepResult Done(HostStep step, DeleteOutcome outcome) =>
        new(step.Kind, step.Target, outcome == DeleteOutcome.Deleted ? StepOutcome.Deleted : StepOutcome.Absent);

    private static StepResult Failed(HostStep step, string error, bool terminal) =>
        new(step.Kind, step.Target, StepOutcome.Failed, error, terminal);

    private static StepOutcome Map(EnsureOutcome outcome) => outcome switch
    {
        EnsureOutcome.Created => StepOutcome.Created,
        EnsureOutcome.Updated => StepOutcome.Updated,
        _ => StepOutcome.Unchanged,
    };
}
