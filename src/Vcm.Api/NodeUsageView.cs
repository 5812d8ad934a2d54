namespace Vcm.Api;

/// <summary>A node's recent use of its host (GET …/nodes/{node}/usage), oldest first: one sample per agent heartbeat (5 s), the last 120.</summary>
public sealed record NodeUsageView(IReadOnlyList<UsageSampleView> Samples);
