namespace Vcm.Api;

/// <summary>
/// A consolidation: the hosts it leaves empty (drained: they take no new work until undrained), the moves that empty
/// them, and the hosts it keeps with why. With <see cref="DryRun"/> nothing changed.
/// </summary>
public sealed record ConsolidationView(bool DryRun, IReadOnlyList<string> Emptied, IReadOnlyList<PlannedMoveView> Moves, IReadOnlyList<HostNoteView> Kept);
