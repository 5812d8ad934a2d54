using Vcm.Domain.Common;
using Vcm.Domain.Scheduling;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

/// <summary>Claims of a placement as the rows they are stored as.</summary>
public static class ClaimRows
{
    public static List<ClaimRecord> Of(string clusterId, IEnumerable<Claim> claims) => claims.Select(c => new ClaimRecord
    {
        Id = Ids.New(),
        ClusterId = clusterId,
        HostId = c.HostId,
        StartMs = c.Start.ToUnixTimeMilliseconds(),
        EndMs = c.End.ToUnixTimeMilliseconds(),
        Cpus = c.Amount.Cpus,
        MemoryMb = c.Amount.MemoryMb,
        DiskMb = c.Amount.DiskMb,
    }).ToList();
}
