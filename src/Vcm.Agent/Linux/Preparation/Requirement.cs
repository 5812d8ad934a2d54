namespace Vcm.Agent.Linux.Preparation;

/// <summary>Something a real host needs (a program or a file) and the Debian package that provides it.</summary>
public sealed record Requirement(string What, string Package, IReadOnlyList<string> Paths)
{
    public bool Present => Paths.Any(File.Exists);
}
