using System.Globalization;
using System.Text.Json.Serialization;
using Vcm.Domain.Text;

namespace Vcm.Domain.Clusters;

/// <summary>A site a cluster may use, and how many of its nodes go there (null: as many as fit, in order); written SITE or SITE:COUNT.</summary>
[JsonConverter(typeof(TextJsonConverter<SiteShare>))]
public sealed record SiteShare(string Site, int? Count) : ITextValue<SiteShare>
{
    public static bool TryParse(string? text, out SiteShare? value, out string error)
    {
        value = null;
        error = "";
        var parts = (text ?? "").Split(':');
        int? count = null;
        if (parts[0].Length == 0 || parts.Length > 2
            || (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || (count = n) < 1)))
        {
            error = "is not SITE or SITE:COUNT with a count of at least 1";
            return false;
        }

        value = new SiteShare(parts[0], count);
        return true;
    }

    public override string ToString() => Count is { } n ? $"{Site}:{n}" : Site;
}
