using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Vcm.Domain.Text;

namespace Vcm.Domain.Sizes;

/// <summary>
/// A link rate in whole Mbit/s (decimal units, as tc and network people count), parsed from text such as
/// <c>100M</c>, <c>1G</c>, <c>2.5G</c> or <c>100mbit</c>.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<BitRate>))]
public readonly partial record struct BitRate(int Mbit) : ITextValue<BitRate>
{
    /// <summary>The largest rate accepted: 100 Gbit/s.</summary>
    public const int MaxMbit = 100_000;

    public long BitsPerSecond => Mbit * 1_000_000L;

    /// <summary>Parses a rate; returns an error sentence instead of throwing.</summary>
    public static bool TryParse(string? text, out BitRate rate, out string error)
    {
        rate = default;
        error = "";
        var usage = $"'{text}' is not a rate; use Mbit/s or Gbit/s like 100M or 1G";
        var match = text is null ? Match.Empty : RatePattern().Match(text.Trim());
        if (!match.Success || !decimal.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = usage;
            return false;
        }

        var mbit = char.ToUpperInvariant(match.Groups["u"].Value[0]) == 'G' ? number * 1000m : number;
        if (mbit != decimal.Truncate(mbit) || mbit < 1 || mbit > MaxMbit)
        {
            error = $"'{text}' is not a whole number of Mbit/s from 1M to 100G";
            return false;
        }

        rate = new BitRate((int)mbit);
        return true;
    }

    public override string ToString() =>
        Mbit % 1000 == 0 ? (Mbit / 1000).ToString(CultureInfo.InvariantCulture) + "G" : Mbit.ToString(CultureInfo.InvariantCulture) + "M";

    [GeneratedRegex(@"^(?<n>\d{1,9}(\.\d{1,3})?)\s*(?<u>[MmGg])(bit|bps|bit/s)?$")]
    private static partial Regex RatePattern();
}
