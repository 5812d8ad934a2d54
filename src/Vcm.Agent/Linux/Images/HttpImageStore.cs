using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images;

/// <summary>
/// The manager's image API: GET {url}/api/v1/images/NAME/manifest, …/chunks/FILE?size=N and …/files/FILE (with a
/// Range), with the agent's key as a bearer token. 404 for a manifest means the image does not exist (terminal);
/// other failures may pass (retryable).
/// </summary>
internal sealed class HttpImageStore(HttpClient http, string baseUrl, string? agentKey) : IImageStore
{
    private readonly string _baseUrl = baseUrl.TrimEnd('/');

    public string Name => $"the image store {_baseUrl}";

    public async Task<string> ManifestAsync(string image, CancellationToken cancellationToken)
    {
        using var response = await SendAsync($"{Image(image)}/manifest", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DriverException($"image {image} is not in the image store {_baseUrl}", terminal: true);
        }

        await CheckAsync(response, $"fetching the manifest of image {image}", cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task<ChunkList> ChunksAsync(string image, string file, int chunkSize, CancellationToken cancellationToken)
    {
        using var response = await SendAsync($"{Image(image)}/chunks/{Uri.EscapeDataString(file)}?size={chunkSize.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        await CheckAsync(response, $"fetching the chunk list of {file} of image {image}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<ChunkList>(cancellationToken)
            ?? throw new DriverException($"the image store {_baseUrl} sent an empty chunk list for {file} of image {image}");
    }

    public Task<Stream> OpenAsync(string image, string file, long offset, long length, CancellationToken cancellationToken) =>
        HttpRanges.OpenAsync(http, $"{Image(image)}/files/{Uri.EscapeDataString(file)}", agentKey, offset, length, Name, cancellationToken);

    private string Image(string image) => $"{_baseUrl}/api/v1/images/{Uri.EscapeDataString(image)}";

    private async Task<HttpResponseMessage> SendAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (agentKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agentKey);
        }

        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
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
