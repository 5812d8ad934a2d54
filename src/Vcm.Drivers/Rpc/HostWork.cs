namespace Vcm.Drivers.Rpc;

/// <summary>
/// Steps for one host, done in order. With <see cref="ContinueOnError"/> (used for releasing) every step is tried
/// even when an earlier one failed; otherwise the rest are skipped.
/// </summary>
public sealed record HostWork(string Host, IReadOnlyList<HostStep> Steps, bool ContinueOnError = false);
