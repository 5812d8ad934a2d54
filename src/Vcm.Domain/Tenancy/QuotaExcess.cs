namespace Vcm.Domain.Tenancy;

/// <summary>
/// One quota a request would exceed: its name (nodes, vcpus, memory, shared, node-hours), the limit, what the tenant
/// already holds at the worst moment of the window (for node-hours: in the calendar month), what was asked, and when.
/// Memory and shared sizes are in MiB.
/// </summary>
public sealed record QuotaExcess(string Quota, long Limit, long Used, long Asked, string When)
{
    public override string ToString() => Quota is "memory" or "shared"
        ? $"{Quota}: {Sizes.ByteSize.FromMebibytes(Used)} in use {When} + {Sizes.ByteSize.FromMebibytes(Asked)} asked > {Sizes.ByteSize.FromMebibytes(Limit)}"
        : $"{Quota}: {Used} in use {When} + {Asked} asked > {Limit}";
}
