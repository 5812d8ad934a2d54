namespace Vcm.Manager.Controllers;

/// <summary>What a reconcile asks for: to be called again after a delay, or only when something changes.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter)
{
    public static readonly ReconcileResult Done = new((TimeSpan?)null);

    public static ReconcileResult Now => new(TimeSpan.Zero);

    public static ReconcileResult After(TimeSpan delay) => new(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
}
