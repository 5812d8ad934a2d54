namespace Vcm.Domain.Moves;

/// <summary>Where a node's live migration is. Stored in lower case.</summary>
public enum MigrationState
{
    /// <summary>Admitted (the destination's capacity is held); the node still runs on its source host.</summary>
    Pending,

    /// <summary>Switched over: the node runs on and is recorded on its new host; its old copy is still to be removed.</summary>
    Moved,

    /// <summary>Done: the node runs on its new host and nothing of it is left on the old one.</summary>
    Completed,

    /// <summary>Given up: the node runs on its source host; what the destination made is still to be removed.</summary>
    Aborting,

    /// <summary>Given up, and nothing of it is left on the destination.</summary>
    Failed,
}
