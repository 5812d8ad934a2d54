namespace Vcm.Drivers.Packages;

/// <summary>
/// A node's apt sources for the site's repository at <c>BASE</c> (its gateway's <c>/apt</c>), made from the
/// repository's suites list (<c>ARCHIVE SUITE COMPONENT…</c> lines): one <c>deb</c> line per suite, checked with the
/// Debian archive's keyring — the release files are the archive's own.
/// </summary>
public static class AptSources
{
    public const string Keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

    public static string For(string baseUrl, string suites)
    {
        var lines = new List<string>();
        foreach (var line in suites.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && ArchivePath.Parse($"{parts[0]}/dists/{parts[1]}/InRelease") is not null)
            {
                lines.Add($"deb [signed-by={Keyring}] {baseUrl.TrimEnd('/')}/{parts[0]} {parts[1]} {string.Join(' ', parts[2..])}");
            }
        }

        return string.Concat(lines.Select(l => l + "\n"));
    }
}
