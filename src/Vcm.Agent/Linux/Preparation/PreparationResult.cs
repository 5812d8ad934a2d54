namespace Vcm.Agent.Linux.Preparation;

public sealed record PreparationResult(bool Ready, string Sentence);
