namespace Vcm.Domain.Scheduling;

/// <summary>A host the scheduler may place on: what it has in all and what it is for.</summary>
public sealed record HostCapacity(string HostId, string Name, string Site, Resources Capacity, HostRoles Roles)
{
    public bool Has(HostRoles role) => (Roles & role) == role;
}
