namespace Vcm.Store.Packages;

/// <summary>A package set in a text column: names sorted, distinct, comma-separated (Debian names hold no comma).</summary>
public static class PackageText
{
    public static string Join(IEnumerable<string> packages) => string.Join(',', packages.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public static IReadOnlyList<string> Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
