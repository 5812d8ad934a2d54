using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>One file to copy onto a host: which, checked against what, into which partial file.</summary>
internal sealed record FileTransfer(string Host, string Image, string File, ChunkList Chunks, string PartialPath);
