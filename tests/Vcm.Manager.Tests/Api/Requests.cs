using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vcm.Api;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>Raw HTTP helpers for the API tests.</summary>
internal static class Requests
{
    public static Task<HttpResponseMessage> PostClusterAsync(HttpClient http, string body, string contentType = "application/json") =>
        http.PostAsync("/api/v1/clusters", new StringContent(body, Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PostClusterAsync(HttpClient http, object body) =>
        http.PostAsJsonAsync("/api/v1/clusters", body, ApiJson.Options);

    public static async Task<ProblemView> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<ProblemView>(text, ApiJson.Options)!;
    }

    public static string Future(TimeSpan from) => DateTimeOffset.UtcNow.Add(from).ToString("O");
}
