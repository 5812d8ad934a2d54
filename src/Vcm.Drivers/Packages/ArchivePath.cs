namespace Vcm.Drivers.Packages;

/// <summary>
/// A path of the site's package repository (an apt repository laid out as the Debian archive is), checked: only the
/// shapes apt asks for, each part made of the characters the archive uses, no dot-parts. Anything else is no path.
/// </summary>
public sealed record ArchivePath(ArchivePathKind Kind, string Text)
{
    public const string SuitesFile = "suites";

    /// <summary>The archive (the mirror's folder, e.g. <c>debian</c> or <c>debian-security</c>); empty for the suites list.</summary>
    public string Archive { get; init; } = "";

    public string Suite { get; init; } = "";

    /// <summary>The index's key in the release file (<c>main/binary-amd64/Packages</c>), for the index kinds.</summary>
    public string MetaKey { get; init; } = "";

    /// <summary>The SHA-256 an index is asked for by (by-hash).</summary>
    public string? Sha256 { get; init; }

    /// <summary>A pool path's part after the archive (<c>pool/main/h/hello/hello_2.10-3_amd64.deb</c>).</summary>
    public string PoolFile { get; init; } = "";

    /// <summary>Files of these kinds never change: they are named by their content.</summary>
    public bool Immutable => Kind is ArchivePathKind.IndexByHash or ArchivePathKind.Deb;

    public static ArchivePath? Parse(string? text)
    {
        if (text is null || text.Length is 0 or > 512)
        {
            return null;
        }

        if (text == SuitesFile)
        {
            return new ArchivePath(ArchivePathKind.Suites, text);
        }

        var parts = text.Split('/');
        if (parts.Length < 3 || !parts.All(Safe))
        {
            return null;
        }

        var archive = parts[0];
        if (parts[1] == "pool")
        {
            return parts.Length >= 4 && parts[^1].EndsWith(".deb", StringComparison.Ordinal)
                ? new ArchivePath(ArchivePathKind.Deb, text) { Archive = archive, PoolFile = string.Join('/', parts[1..]) }
                : null;
        }

        if (parts[1] != "dists")
        {
            return null;
        }

        return parts switch
        {
            [_, _, var suite, "InRelease"] => new ArchivePath(ArchivePathKind.Release, text) { Archive = archive, Suite = suite },
            [_, _, var suite, var component, var binary, "Packages"] when IsBinary(binary) =>
                new ArchivePath(ArchivePathKind.Index, text) { Archive = archive, Suite = suite, MetaKey = $"{component}/{binary}/Packages" },
            [_, _, var suite, var component, var binary, "by-hash", "SHA256", var hash] when IsBinary(binary) && IsSha256(hash) =>
                new ArchivePath(ArchivePathKind.IndexByHash, text) { Archive = archive, Suite = suite, MetaKey = $"{component}/{binary}/Packages", Sha256 = hash },
            _ => null,
        };
    }

    private static bool IsBinary(string part) => part.StartsWith("binary-", StringComparison.Ordinal) && part.Length > 7;

    private static bool IsSha256(string part) => part.Length == 64 && part.All(char.IsAsciiHexDigitLower);

    private static bool Safe(string part) =>
        part.Length is > 0 and <= 200 && !part.StartsWith('.') && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+' or '~' or '%');
}
