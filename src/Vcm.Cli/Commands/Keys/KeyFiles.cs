using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Keys;

/// <summary>Reads SSH public key files: every non-empty line that is not a comment.</summary>
internal static class KeyFiles
{
    public static IReadOnlyList<string> Read(IEnumerable<string> files)
    {
        var keys = new List<string>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new CliException($"There is no key file {file}.", ExitCodes.Usage);
            }

            keys.AddRange(File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }

        return keys;
    }
}
