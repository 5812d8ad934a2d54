using Vcm.Domain.Sizes;

namespace Vcm.Domain.Scheduling;

/// <summary>An amount of host capacity: cpus, memory and disk (in mebibytes).</summary>
public readonly record struct Resources(long Cpus, long MemoryMb, long DiskMb)
{
    public static readonly Resources Zero = new(0, 0, 0);

    public static Resources Of(int cpus, ByteSize memory, ByteSize disk) => new(cpus, memory.Mebibytes, disk.Mebibytes);

    public static Resources operator +(Resources a, Resources b) => new(a.Cpus + b.Cpus, a.MemoryMb + b.MemoryMb, a.DiskMb + b.DiskMb);

    public static Resources operator -(Resources a, Resources b) => new(a.Cpus - b.Cpus, a.MemoryMb - b.MemoryMb, a.DiskMb - b.DiskMb);

    public static Resources operator *(Resources a, long n) => new(a.Cpus * n, a.MemoryMb * n, a.DiskMb * n);

    /// <summary>The larger of each dimension.</summary>
    public static Resources Max(Resources a, Resources b) =>
        new(Math.Max(a.Cpus, b.Cpus), Math.Max(a.MemoryMb, b.MemoryMb), Math.Max(a.DiskMb, b.DiskMb));

    /// <summary>True when every dimension of this is at most that of <paramref name="limit"/>.</summary>
    public bool FitsIn(Resources limit) => Cpus <= limit.Cpus && MemoryMb <= limit.MemoryMb && DiskMb <= limit.DiskMb;

    /// <summary>How many of <paramref name="unit"/> fit in this amount.</summary>
    public long CountOf(Resources unit)
    {
        var count = long.MaxValue;
        count = Math.Min(count, Per(Cpus, unit.Cpus));
        count = Math.Min(count, Per(MemoryMb, unit.MemoryMb));
        count = Math.Min(count, Per(DiskMb, unit.DiskMb));
        return Math.Max(0, count);
    }

    public override string ToString() =>
        $"{Cpus} cpus, {ByteSize.FromMebibytes(MemoryMb)} memory, {ByteSize.FromMebibytes(DiskMb)} disk";

    private static long Per(long have, long need) => need <= 0 ? long.MaxValue : have < 0 ? 0 : have / need;
}
