namespace Vcm.Agent.Linux.Packages;

/// <summary>
/// One binary package index this machine's apt keeps (<c>apt-get indextargets</c>): the archive it belongs to (the
/// last folder of its URI: <c>debian</c>, <c>debian-security</c>), suite, key in the release file, and where apt
/// keeps the index and the suite's InRelease.
/// </summary>
public sealed record AptTarget(string Archive, string Suite, string Component, string MetaKey, string IndexFile, string ReleaseFile)
{
    /// <summary>The format <see cref="Parse"/> reads, for <c>apt-get indextargets --format</c>.</summary>
    public const string Format = "$(IDENTIFIER)|$(REPO_URI)|$(RELEASE)|$(COMPONENT)|$(METAKEY)|$(FILENAME)";

    /// <summary>The Packages targets of <c>apt-get indextargets --format <see cref="Format"/></c>'s output.</summary>
    public static IReadOnlyList<AptTarget> Parse(string output)
    {
        var targets = new List<AptTarget>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split('|');
            if (f.Length != 6 || f[0] != "Packages" || !f[4].EndsWith("/Packages", StringComparison.Ordinal))
            {
                continue;
            }

            var archive = new Uri(f[1], UriKind.Absolute).AbsolutePath.Trim('/').Split('/')[^1];
            // apt names the InRelease like the index: the same prefix, the meta key's part replaced.
            var keyPart = f[4].Replace('/', '_');
            var at = f[5].LastIndexOf(keyPart, StringComparison.Ordinal);
            if (archive.Length == 0 || at < 0)
            {
                continue;
            }

            targets.Add(new AptTarget(archive, f[2], f[3], f[4], f[5], f[5][..at] + "InRelease"));
        }

        return targets;
    }
}
