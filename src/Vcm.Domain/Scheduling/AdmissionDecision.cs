namespace Vcm.Domain.Scheduling;

/// <summary>
/// The answer to a request: a placement, or why not and the earliest start at which the same request would fit
/// (null when it never fits, e.g. it is larger than the site).
/// </summary>
public sealed record AdmissionDecision(Placement? Placement, string? Reason, DateTimeOffset? EarliestStart)
{
    public bool Admitted => Placement is not null;

    public static AdmissionDecision Admit(Placement placement) => new(placement, null, null);

    public static AdmissionDecision Refuse(string reason, DateTimeOffset? earliestStart) => new(null, reason, earliestStart);
}
