namespace Vcm.Domain.Federation;

/// <summary>At a cluster's home: where a part built by another site stands. Stored in lower case.</summary>
public enum PartState
{
    /// <summary>Stored here; the peer has not (yet) admitted it.</summary>
    Requested,

    /// <summary>The peer admitted it and builds it for the cluster's window.</summary>
    Admitted,

    /// <summary>The peer was asked to release it and has not confirmed.</summary>
    Releasing,

    /// <summary>The peer released it.</summary>
    Released,
}
