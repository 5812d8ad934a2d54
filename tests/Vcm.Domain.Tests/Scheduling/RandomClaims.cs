using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Tests.Scheduling;

/// <summary>Random claims on three hosts (h0..h2) for the scheduler's property tests, in whole minutes from <see cref="T0"/>.</summary>
public static class RandomClaims
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public sealed record RandomClaim(int Host, int StartMinute, int Minutes, int Cpus, int MemoryGb, int SharedGb)
    {
        public Claim ToClaim(string clusterId) => new(
            clusterId, $"h{Host}", T0.AddMinutes(StartMinute), T0.AddMinutes(StartMinute + Minutes), new Resources(Cpus, MemoryGb * 1024L, SharedGb * 1024L));
    }

    /// <summary>Claims starting in the first <paramref name="lastStart"/> minutes, of up to 90 minutes, <paramref name="maxCpus"/> cpus and <paramref name="maxMemoryGb"/> memory; a shared volume on one in five.</summary>
    public static Gen<RandomClaim> Gen(int lastStart, int maxCpus, int maxMemoryGb) =>
        from host in FsCheck.Fluent.Gen.Choose(0, 2)
        from start in FsCheck.Fluent.Gen.Choose(0, lastStart)
        from minutes in FsCheck.Fluent.Gen.Choose(1, 90)
        from cpus in FsCheck.Fluent.Gen.Choose(1, maxCpus)
        from memory in FsCheck.Fluent.Gen.Choose(1, maxMemoryGb)
        from shared in FsCheck.Fluent.Gen.Frequency((4, FsCheck.Fluent.Gen.Constant(0)), (1, FsCheck.Fluent.Gen.Choose(1, 60)))
        select new RandomClaim(host, start, minutes, cpus, memory, shared);
}
