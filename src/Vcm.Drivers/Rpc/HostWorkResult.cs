namespace Vcm.Drivers.Rpc;

public sealed record HostWorkResult(string Host, IReadOnlyList<StepResult> Results);
