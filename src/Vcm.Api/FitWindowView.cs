namespace Vcm.Api;

/// <summary>A run of starts at which the request fits for its whole window: any start from <see cref="FirstStart"/> to <see cref="LastStart"/>, both included.</summary>
public sealed record FitWindowView(DateTimeOffset FirstStart, DateTimeOffset LastStart);
