namespace Vcm.Cli.Infrastructure;

/// <summary>Where the CLI finds its defaults: VCM_DATA, else VCM_HOME/var (set by the ./vcm script), else ./var.</summary>
public static class CliPaths
{
    public static string DefaultDataDirectory()
    {
        var data = Environment.GetEnvironmentVariable("VCM_DATA");
        if (!string.IsNullOrEmpty(data))
        {
            return Path.GetFullPath(data);
        }

        var home = Environment.GetEnvironmentVariable("VCM_HOME");
        return Path.GetFullPath(string.IsNullOrEmpty(home) ? "var" : Path.Combine(home, "var"));
    }

    public const string DefaultServer = "http://127.0.0.1:8710";
}
