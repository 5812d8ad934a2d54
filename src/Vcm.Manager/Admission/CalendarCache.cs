using Vcm.Domain.Scheduling;

namespace Vcm.Manager.Admission;

/// <summary>
/// What admission last read of the site — its hosts and the claim calendar — with the site's calendar version at
/// that moment. Used only while that version is still the current one (see Store's CalendarVersion), so it is never
/// stale; any change by any manager bumps the version and the next admission reads the database again.
/// </summary>
public sealed class CalendarCache
{
    private Snapshot? _snapshot;

    public sealed record Snapshot(long Version, IReadOnlyList<HostCapacity> Hosts, ClaimCalendar Calendar);

    /// <summary>The cached view if it was taken at <paramref name="version"/>.</summary>
    public Snapshot? At(long version) => _snapshot is { } s && s.Version == version ? s : null;

    public void Store(Snapshot snapshot) => _snapshot = snapshot;

    public void Clear() => _snapshot = null;
}
