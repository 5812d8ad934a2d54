namespace Vcm.Manager.Hosts;

/// <summary>
/// Fences a host whose agent stopped answering, before anything of it is recovered elsewhere: a power switch, IPMI,
/// a script (<see cref="CommandFence"/>), a lab's namespace (the CLI's LabHostFence). Never throws for a fence that
/// did not work: that is a result, <see cref="FenceResult.Fenced"/> false.
/// </summary>
public interface IHostFence
{
    Task<FenceResult> FenceAsync(FenceTarget target, CancellationToken cancellationToken);
}
