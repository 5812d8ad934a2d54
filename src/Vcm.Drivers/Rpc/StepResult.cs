using Vcm.Drivers.Compute;
using Vcm.Drivers.Storage;

namespace Vcm.Drivers.Rpc;

/// <summary>What a step did, and what it observed (a VM's state, a volume's address, a migration's receiver and its end).</summary>
public sealed record StepResult(
    StepKind Kind,
    string Target,
    StepOutcome Outcome,
    string? Error = null,
    bool Terminal = false,
    VmStatus? Vm = null,
    VolumeStatus? Volume = null,
    IncomingVm? Incoming = null,
    MigrationReport? Migration = null)
{
    public bool Succeeded => Outcome is not (StepOutcome.Failed or StepOutcome.Skipped);
}
