namespace Vcm.Agent.Metadata;

/// <summary>Whether a request may be answered: the node it proved to be, or null and why not (for the log only).</summary>
public readonly record struct AccessDecision(MetadataNode? Node, string Reason)
{
    public static AccessDecision Denied(string reason) => new(null, reason);
}
