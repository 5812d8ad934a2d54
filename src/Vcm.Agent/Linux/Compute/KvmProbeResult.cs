namespace Vcm.Agent.Linux.Compute;

/// <summary>What the KVM probe found, cached in the host's folder for as long as the host is not rebooted.</summary>
public sealed record KvmProbeResult(bool Kvm, string BootId, DateTimeOffset At, double Seconds, string Detail);
