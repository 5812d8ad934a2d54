namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>A loadable kernel module: its name (underscores, as /proc/modules shows it) and its .ko file here.</summary>
public sealed record KernelModule(string Name, string File);
