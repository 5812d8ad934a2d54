using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Vcm.Domain.Common;

namespace Vcm.Manager.Http;

/// <summary>
/// List endpoints page with <c>limit</c> (1–1000, default <see cref="DefaultLimit"/>) and an opaque <c>cursor</c>; the
/// body stays a JSON array and the next page's URL is in a <c>Link: &lt;…&gt;; rel="next"</c> header (RFC 8288), absent on
/// the last page. Items are ordered by a stable key (ids are time-ordered), so a page is never skipped or repeated
/// when items are added meanwhile.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    /// <summary>The problems of the paging parameters (limit out of range, a cursor that is not one of ours).</summary>
    public static List<Problem> Check(int? limit, string? cursor)
    {
        var problems = new List<Problem>();
        if (limit is < 1 or > MaxLimit)
        {
            problems.Add(new Problem("limit", $"must be from 1 to {MaxLimit}"));
        }

        if (cursor is not null && Decode(cursor) is null)
        {
            problems.Add(new Problem("cursor", "is not a cursor this API gave (take it from the Link header of the page before)"));
        }

        return problems;
    }

    /// <summary>One page of <paramref name="items"/> (ordered by <paramref name="key"/> here, newest first when <paramref name="descending"/>), setting the Link header when more follow.</summary>
    public static IReadOnlyList<T> Page<T>(HttpContext context, IEnumerable<T> items, Func<T, string> key, int? limit, string? cursor, bool descending = false)
    {
        var after = cursor is null ? null : Decode(cursor);
        var take = limit ?? DefaultLimit;
        var ordered = descending
            ? items.OrderByDescending(key, StringComparer.Ordinal).Where(i => after is null || string.CompareOrdinal(key(i), after) < 0)
            : items.OrderBy(key, StringComparer.Ordinal).Where(i => after is null || string.CompareOrdinal(key(i), after) > 0);
        var page = ordered.Take(take + 1).ToList();
        if (page.Count > take)
        {
            page.RemoveAt(take);
            var request = context.Request;
            var query = QueryHelpers.ParseQuery(request.QueryString.Value)
                .Where(q => q.Key is not ("cursor" or "limit"))
                .ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
            query["limit"] = take.ToString(System.Globalization.CultureInfo.InvariantCulture);
            query["cursor"] = Encode(key(page[^1]));
            context.Response.Headers.Append("Link", $"<{QueryHelpers.AddQueryString(request.PathBase + request.Path, query)}>; rel=\"next\"");
        }

        return page;
    }

    private static string Encode(string key) => Base64UrlTextEncoder.Encode(Encoding.UTF8.GetBytes("v1:" + key));

    private static string? Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64UrlTextEncoder.Decode(cursor));
            return text.StartsWith("v1:", StringComparison.Ordinal) ? text[3..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
