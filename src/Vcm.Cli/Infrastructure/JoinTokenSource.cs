namespace Vcm.Cli.Infrastructure;

/// <summary>
/// Where `vcm agent` takes its join token from: --token (for a human at a prompt; the token then shows in the
/// process list), --token-file FILE (preferred: only the file's owner reads it), or the VCM_JOIN_TOKEN environment
/// variable (readable only by the process's user and root). `vcm up` writes a 0600 file and passes --token-file.
/// </summary>
public static class JoinTokenSource
{
    public const string EnvironmentVariable = "VCM_JOIN_TOKEN";

    public const string FileName = "join-token";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The token to join with, or null when none is given.</summary>
    public static string? Resolve(string? token, string? tokenFile)
    {
        if (token is not null && tokenFile is not null)
        {
            throw new CliException("give the join token with --token or with --token-file, not both", ExitCodes.Usage);
        }

        if (tokenFile is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"the join token file {tokenFile} cannot be read: {e.Message}", ExitCodes.Usage);
            }

            return text.Length > 0 ? text : throw new CliException($"the join token file {tokenFile} is empty", ExitCodes.Usage);
        }

        return token ?? (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment.Trim() : null);
    }

    /// <summary>Writes the token into FOLDER/join-token, readable by its owner only, and returns the file's path.</summary>
    public static string Write(string folder, string token)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(token);
        }

        File.Move(temp, path, overwrite: true);
        return path;
    }
}
