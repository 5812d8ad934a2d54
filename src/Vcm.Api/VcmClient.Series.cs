using System.Net.Http.Json;
using Vcm.Domain.Series;

namespace Vcm.Api;

/// <summary>Series: recurring reservations.</summary>
public sealed partial class VcmClient
{
    public Task<SeriesView> CreateSeriesAsync(SeriesInput request, CancellationToken cancellationToken) =>
        SendAsync<SeriesView>(new HttpRequestMessage(HttpMethod.Post, "api/v1/series") { Content = JsonContent.Create(request, options: ApiJson.Options) }, cancellationToken);

    public Task<IReadOnlyList<SeriesView>> ListSeriesAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<SeriesView>>(new HttpRequestMessage(HttpMethod.Get, "api/v1/series"), cancellationToken);

    public Task<SeriesView> GetSeriesAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<SeriesView>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/series/{Uri.EscapeDataString(name)}"), cancellationToken);

    /// <summary>Deletes the rest of the series, or with <paramref name="date"/> its occurrence on that local date.</summary>
    public Task<SeriesView> DeleteSeriesAsync(string name, string? date, CancellationToken cancellationToken) =>
        SendAsync<SeriesView>(new HttpRequestMessage(
            HttpMethod.Delete,
            $"api/v1/series/{Uri.EscapeDataString(name)}" + (date is null ? "" : $"/occurrences/{Uri.EscapeDataString(date)}")), cancellationToken);
}
