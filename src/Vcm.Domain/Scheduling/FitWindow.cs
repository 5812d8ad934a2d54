namespace Vcm.Domain.Scheduling;

/// <summary>A run of starts at which a request fits for its whole window: every start from <see cref="First"/> to <see cref="Last"/>, both included.</summary>
public sealed record FitWindow(DateTimeOffset First, DateTimeOffset Last);
