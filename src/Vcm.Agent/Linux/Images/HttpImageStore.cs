using System.Net;
using System.Net.Http.Headers;
using Vcm.Drivers;

namespace Vcm.Agent.Linux.Images;

/// <summary>
/// The manager's image API: GET {url}/api/v1/images/NAME/manifest and …/files/FILE, with the agent's key as a bearer
/// token. 404 means the image does not exist (terminal); other failures may pass (retryable).
/// </summary>
internal sealed class HttpImageStore(HttpClient http, string baseUrl, string? agentKey) : IImageStore
{
    private readonly string _baseUrl = baseUrl.TrimEnd('/');

    public async Task<string> ManifestAsync(string image, CancellationToken cancellationToken)
    {
        using var response = await SendAsync($"{_baseUrl}/api/v1/images/{Uri.EscapeDataString(image)}/manifest", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DriverException($"image {image} is not in the image store {_baseUrl}", terminal: true);
        }

        await CheckAsync(response, $"fetching the manifest of image {image}", cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task CopyFileAsync(string image, string file, Stream destination, CancellationToken cancellationToken)
    {
        using var response = await SendAsync($"{_baseUrl}/api/v1/images/{Uri.EscapeDataString(image)}/files/{Uri.EscapeDataString(file)}", cancellationToken);
        await CheckAsync(response, $"fetching {file} of image {image}", cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(destination, 1 << 20, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (agentKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agentKey);
        }

        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new DriverException($"the image store {_baseUrl} is unreachable: {e.Message}", e);
        }
    }

    private static async Task CheckAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new DriverException($"{what} failed: {(int)response.StatusCode} {response.ReasonPhrase} {(body.Length > 300 ? body[..300] : body)}".TrimEnd());
    }
}
