namespace Vcm.Domain.Clusters;

/// <summary>Questions about node states asked in more than one place.</summary>
public static class NodeStates
{
    /// <summary>Its VM runs (whether or not it phoned home yet).</summary>
    public static bool IsRunning(this NodeState state) => state is NodeState.Booting or NodeState.Ready;
}
