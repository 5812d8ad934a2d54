using System.Text.Json;

namespace Vcm.Cli.Infrastructure;

/// <summary>
/// The user's sign-ins, as kubectl keeps them: named contexts (a server and a token each) and the current one, in
/// $VCM_CONFIG, else $XDG_CONFIG_HOME/vcm/config.json, else ~/.config/vcm/config.json — the file 0600, its folder 0700.
/// </summary>
public sealed record CliConfig
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string? Current { get; init; }

    public Dictionary<string, CliContext> Contexts { get; init; } = new(StringComparer.Ordinal);

    public CliContext? CurrentContext => Current is not null ? Contexts.GetValueOrDefault(Current) : null;

    public static string FilePath()
    {
        var explicitPath = Environment.GetEnvironmentVariable("VCM_CONFIG");
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config") : xdg;
        return Path.Combine(root, "vcm", "config.json");
    }

    public static CliConfig Load()
    {
        var file = FilePath();
        if (!File.Exists(file))
        {
            return new CliConfig();
        }

        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(file), Json) ?? new CliConfig();
        }
        catch (JsonException e)
        {
            throw new CliException($"The vcm config file {file} is not valid JSON ({e.Message}); fix or remove it.", ExitCodes.Usage);
        }
    }

    /// <summary>Writes the file whole (a temporary file renamed over it), readable by its owner only.</summary>
    public void Save()
    {
        var file = FilePath();
        var folder = Path.GetDirectoryName(file)!;
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = file + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(stream, this, Json);
        }

        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, file, overwrite: true);
    }
}
