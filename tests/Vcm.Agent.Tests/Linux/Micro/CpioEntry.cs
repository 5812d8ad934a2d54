namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>One record of a newc cpio archive, as <see cref="CpioReader"/> read it.</summary>
public sealed record CpioEntry(string Name, int Mode, long Mtime, int Uid, int Gid, byte[] Data);
