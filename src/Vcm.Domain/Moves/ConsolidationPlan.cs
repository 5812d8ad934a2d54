namespace Vcm.Domain.Moves;

/// <summary>The moves that leave <see cref="Emptied"/> holding nothing; the hosts that hold something and stay (<see cref="Kept"/>) with why.</summary>
public sealed record ConsolidationPlan(IReadOnlyList<PlannedMove> Moves, IReadOnlyList<string> Emptied, IReadOnlyList<HostNote> Kept);
