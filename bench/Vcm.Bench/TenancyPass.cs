namespace Vcm.Bench;

/// <summary>
/// One pass of the tenancy benchmark: the big cluster created, Ready and released, then many clusters created at
/// once (all admitted, all Ready).
/// </summary>
internal sealed record TenancyPass(TimeSpan BigAdmitted, TimeSpan BigReady, TimeSpan BigReleased, TimeSpan ManyAdmitted, TimeSpan ManyReady, int ManyClusters)
{
    /// <summary>Admissions per second while the many clusters were created at once.</summary>
    public double AdmissionRate => ManyClusters / ManyAdmitted.TotalSeconds;
}
