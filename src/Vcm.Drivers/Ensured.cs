namespace Vcm.Drivers;

/// <summary>The outcome of an ensure step together with what it observed.</summary>
public sealed record Ensured<T>(EnsureOutcome Outcome, T Status);
