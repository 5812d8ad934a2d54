namespace Vcm.Testing;

/// <summary>Where things are in the repository the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration =>
#if DEBUG
        "debug";
#else
        "release";
#endif

    /// <summary>The built `vcm` program (the same build as the tests).</summary>
    public static string Cli => Path.Combine(Root, "artifacts", "bin", "Vcm.Cli", Configuration, "vcm");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "vcm.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("vcm.slnx not found above " + AppContext.BaseDirectory);
    }
}
