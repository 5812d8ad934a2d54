using System.Globalization;

namespace Vcm.Testing;

/// <summary>One scrape of /metrics (the Prometheus text format); <see cref="Value"/> reads one series, its name and labels as written.</summary>
public sealed record MetricsText(string Text)
{
    public double? Find(string series)
    {
        var line = Text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    public double Value(string series) => Find(series) ?? throw new Xunit.Sdk.XunitException($"no series {series} in:\n{Text}");

    /// <summary>Reads /metrics with the provider's token.</summary>
    public static async Task<MetricsText> ScrapeAsync(HttpClient http, string adminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return new MetricsText(await response.Content.ReadAsStringAsync());
    }
}
