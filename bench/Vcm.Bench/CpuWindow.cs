namespace Vcm.Bench;

/// <summary>One window of the portal bench's builds: how many watch streams were connected, the manager's CPU time, the events the streams got.</summary>
internal sealed record CpuWindow(int Streams, TimeSpan Cpu, int Events, int Made);
