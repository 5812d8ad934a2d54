namespace Vcm.Domain.Clusters;

public enum NodeRole
{
    Head,
    Worker,
}
