namespace Vcm.Api;

/// <summary>A condition a cluster is in now (e.g. Failing): why, what is wrong, since when, and how many attempts saw it.</summary>
public sealed record ConditionView(string Type, string Reason, string Message, DateTimeOffset Since, DateTimeOffset LastSeen, int Attempts);
