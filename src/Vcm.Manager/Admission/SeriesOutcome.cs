using Vcm.Domain.Common;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

/// <summary>What became of a series request.</summary>
public abstract record SeriesOutcome
{
    /// <summary>Stored: the series and the clusters of its occurrences (Scheduled), and with allowPartial those not admitted.</summary>
    public sealed record Admitted(SeriesRecord Series, IReadOnlyList<ClusterRecord> Clusters, IReadOnlyList<RefusedOccurrence> Refused) : SeriesOutcome;

    /// <summary>The request itself is wrong: every problem, nothing stored.</summary>
    public sealed record Invalid(IReadOnlyList<Problem> Problems) : SeriesOutcome;

    /// <summary>A series of that name exists already.</summary>
    public sealed record NameTaken(string Name) : SeriesOutcome;

    /// <summary>Some occurrence does not fit (without allowPartial), or none does: each that does not, with why; nothing stored.</summary>
    public sealed record NotAdmitted(IReadOnlyList<RefusedOccurrence> Occurrences, int Total) : SeriesOutcome;
}
