namespace Vcm.Api;

/// <summary>A part of a cluster that another site builds: which site, how many nodes, and its state there.</summary>
public sealed record PartView(string Site, int Nodes, string State, string? Phase, string? Reason);
