namespace Vcm.Manager.Peers;

public enum PeerFailure
{
    /// <summary>No answer (connection refused, timeout) or not a vcm manager.</summary>
    Unreachable,

    /// <summary>The peer does not accept our key (or token).</summary>
    Unauthorized,

    /// <summary>The peer has no capacity for the part's whole window.</summary>
    NoCapacity,

    /// <summary>The peer refused the request as invalid, or answered with another error.</summary>
    Refused,

    /// <summary>The peer has no such part.</summary>
    NotFound,
}
