namespace Vcm.Api;

/// <summary>Extends a cluster's window: to a new end (an ISO 8601 time, or "+2h"), or by a duration like 2h; one of the two.</summary>
public sealed record ExtendRequest(string? End, string? By);
