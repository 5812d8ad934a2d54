namespace Vcm.Agent.Linux.Packages;

/// <summary>Reads a release file's SHA256 section: each listed file's hash and size, by its key.</summary>
public static class ReleaseIndex
{
    public static IReadOnlyDictionary<string, (string Sha256, long Size)> Sha256(string release)
    {
        var files = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        var inSection = false;
        foreach (var line in release.Split('\n'))
        {
            if (!line.StartsWith(' '))
            {
                inSection = line.TrimEnd() == "SHA256:";
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (inSection && parts.Length == 3 && long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var size))
            {
                files[parts[2]] = (parts[0], size);
            }
        }

        return files;
    }
}
