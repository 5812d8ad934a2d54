using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Vcm.Domain.Text;

namespace Vcm.Domain.Sizes;

/// <summary>A size in mebibytes, parsed from text such as <c>512M</c>, <c>2G</c>, <c>1.5T</c>.</summary>
[JsonConverter(typeof(TextJsonConverter<ByteSize>))]
public readonly partial record struct ByteSize(long Mebibytes) : IComparable<ByteSize>, ITextValue<ByteSize>
{
    public static ByteSize FromMebibytes(long mebibytes) => new(mebibytes);

    public static ByteSize FromGibibytes(long gibibytes) => new(gibibytes * 1024);

    public long Bytes => Mebibytes * 1024 * 1024;

    public int CompareTo(ByteSize other) => Mebibytes.CompareTo(other.Mebibytes);

    public static bool operator <(ByteSize a, ByteSize b) => a.Mebibytes < b.Mebibytes;

    public static bool operator >(ByteSize a, ByteSize b) => a.Mebibytes > b.Mebibytes;

    public static bool operator <=(ByteSize a, ByteSize b) => a.Mebibytes <= b.Mebibytes;

    public static bool operator >=(ByteSize a, ByteSize b) => a.Mebibytes >= b.Mebibytes;

    /// <summary>Parses a size; returns an error sentence instead of throwing.</summary>
    public static bool TryParse(string? text, out ByteSize size, out string error)
    {
        size = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; give a size like 512M or 2G";
            return false;
        }

        var match = SizePattern().Match(text.Trim());
        if (!match.Success)
        {
            error = $"'{text}' is not a size; use a number with a unit K, M, G or T, like 512M or 2G";
            return false;
        }

        if (!decimal.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{text}' is not a size; use a number with a unit K, M, G or T, like 512M or 2G";
            return false;
        }

        var unit = char.ToUpperInvariant(match.Groups["u"].Value[0]);
        decimal mebibytes = unit switch
        {
            'K' => number / 1024m,
            'M' => number,
            'G' => number * 1024m,
            'T' => number * 1024m * 1024m,
            _ => -1,
        };
        if (mebibytes > long.MaxValue / (1024L * 1024L) / 16)
        {
            error = $"'{text}' is too large";
            return false;
        }

        if (mebibytes != decimal.Truncate(mebibytes))
        {
            error = $"'{text}' is not a whole number of mebibytes";
            return false;
        }

        size = new ByteSize((long)mebibytes);
        return true;
    }

    public static ByteSize Parse(string text) =>
        TryParse(text, out var size, out var error) ? size : throw new FormatException($"Size {error}.");

    /// <summary>The shortest exact text for this size: <c>2G</c>, <c>512M</c>.</summary>
    public override string ToString()
    {
        if (Mebibytes != 0 && Mebibytes % (1024L * 1024L) == 0)
        {
            return (Mebibytes / (1024L * 1024L)).ToString(CultureInfo.InvariantCulture) + "T";
        }

        if (Mebibytes != 0 && Mebibytes % 1024 == 0)
        {
            return (Mebibytes / 1024).ToString(CultureInfo.InvariantCulture) + "G";
        }

        return Mebibytes.ToString(CultureInfo.InvariantCulture) + "M";
    }

    [GeneratedRegex(@"^(?<n>\d{1,15}(\.\d{1,6})?)\s*(?<u>[KkMmGgTt])(i?[Bb])?$")]
    private static partial Regex SizePattern();
}
