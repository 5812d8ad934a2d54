namespace Vcm.Domain.Scheduling;

public sealed record PlanResult(Placement? Placement, string? Reason)
{
    public static PlanResult Ok(Placement placement) => new(placement, null);

    public static PlanResult Fail(string reason) => new(null, reason);
}
