namespace Vcm.Api;

/// <summary>A host a consolidation leaves as it is, and why.</summary>
public sealed record HostNoteView(string Host, string Reason);
