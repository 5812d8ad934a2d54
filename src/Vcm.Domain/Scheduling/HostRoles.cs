namespace Vcm.Domain.Scheduling;

[Flags]
public enum HostRoles
{
    None = 0,
    Compute = 1,
    Gateway = 2,
    Storage = 4,
    All = Compute | Gateway | Storage,
}
