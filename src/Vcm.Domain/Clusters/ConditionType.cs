namespace Vcm.Domain.Clusters;

/// <summary>The kinds of condition a cluster can be in besides its phase.</summary>
public enum ConditionType
{
    /// <summary>The controller's last attempts at the cluster's next step failed; it retries with backoff.</summary>
    Failing,
}
