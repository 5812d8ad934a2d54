namespace Vcm.Manager.Watch;

/// <summary>One Server-Sent Event: its type (cluster, event, gone) and its data, JSON on one line.</summary>
public sealed record WatchMessage(string Event, string Data);
