namespace Vcm.Manager.Hosts;

/// <summary>A site with no fence configured: no host is ever fenced, so recovery waits for a provider's word.</summary>
public sealed class NoFence : IHostFence
{
    public Task<FenceResult> FenceAsync(FenceTarget target, CancellationToken cancellationToken) =>
        Task.FromResult(FenceResult.NotFenced("no fence is configured (vcm manager --fence-command PATH)"));
}
