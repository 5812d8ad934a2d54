using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Tests.Scheduling;

/// <summary>Two small hosts and random claims on them at whole minutes: calendars small enough to check minute by minute.</summary>
public static class SmallCalendars
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyList<HostCapacity> TwoHosts =
    [
        new("h1", "host-1", "a", new Resources(4, 8192, 100_000), HostRoles.All),
        new("h2", "host-2", "a", new Resources(4, 8192, 100_000), HostRoles.Compute),
    ];

    public sealed record RandomClaim(int Host, int StartMinute, int Minutes, int Cpus);

    public static Gen<RandomClaim> Claims(int lastStart, int longest, int maxCpus) =>
        from host in Gen.Choose(1, 2)
        from start in Gen.Choose(0, lastStart)
        from minutes in Gen.Choose(1, longest)
        from cpus in Gen.Choose(1, maxCpus)
        select new RandomClaim(host, start, minutes, cpus);

    public static ClaimCalendar Calendar(IReadOnlyList<RandomClaim> claims) => new(claims.Select((c, i) => new Claim(
        $"c{i}", $"h{c.Host}", T0.AddMinutes(c.StartMinute), T0.AddMinutes(c.StartMinute + c.Minutes), new Resources(c.Cpus, 0, 0))));
}
