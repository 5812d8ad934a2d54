namespace Vcm.Store;

/// <summary>A write was begun inside a write transaction of the same flow; on SQLite it would wait for itself forever.</summary>
public sealed class WriteReentryException()
    : InvalidOperationException("A write transaction was begun while this flow already holds one; write through the open transaction instead.");
