using System.Globalization;

namespace Vcm.Agent.Linux.Packages;

/// <summary>A .deb as a Packages index lists it.</summary>
public sealed record DebEntry(string Package, string Version, string Architecture, string Filename, string Sha256, long Size)
{
    /// <summary>The name apt gives it in its archives folder (name_version_arch.deb, with '_' and ':' quoted).</summary>
    public string AptFileName => $"{Quote(Package, "_:")}_{Quote(Version, "_:")}_{Quote(Architecture, "_:.")}.deb";

    /// <summary>Every entry of a Packages index, by its Filename.</summary>
    public static async Task<Dictionary<string, DebEntry>> ReadAllAsync(TextReader reader, Dictionary<string, DebEntry> into, CancellationToken cancellationToken)
    {
        string? package = null, version = null, arch = null, file = null, sha = null;
        long size = 0;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            if (line is null || line.Length == 0)
            {
                if (package is not null && version is not null && arch is not null && file is not null && sha is not null)
                {
                    into[file] = new DebEntry(package, version, arch, file, sha, size);
                }

                package = version = arch = file = sha = null;
                size = 0;
                if (line is null)
                {
                    return into;
                }

                continue;
            }

            if (line.StartsWith("Package: ", StringComparison.Ordinal))
            {
                package = line[9..];
            }
            else if (line.StartsWith("Version: ", StringComparison.Ordinal))
            {
                version = line[9..];
            }
            else if (line.StartsWith("Architecture: ", StringComparison.Ordinal))
            {
                arch = line[14..];
            }
            else if (line.StartsWith("Filename: ", StringComparison.Ordinal))
            {
                file = line[10..];
            }
            else if (line.StartsWith("SHA256: ", StringComparison.Ordinal))
            {
                sha = line[8..];
            }
            else if (line.StartsWith("Size: ", StringComparison.Ordinal))
            {
                size = long.Parse(line[6..], CultureInfo.InvariantCulture);
            }
        }
    }

    private static string Quote(string text, string bad) =>
        string.Concat(text.Select(c => bad.Contains(c, StringComparison.Ordinal) || c <= ' ' || c >= 0x7f ? $"%{(int)c:x2}" : c.ToString()));
}
