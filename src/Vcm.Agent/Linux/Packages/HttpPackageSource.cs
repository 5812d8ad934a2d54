using System.Net;
using System.Net.Http.Headers;
using Vcm.Drivers;
using Vcm.Drivers.Packages;

namespace Vcm.Agent.Linux.Packages;

/// <summary>
/// The manager's package repository: GET {url}/api/v1/packages/PATH with the agent's key. A copy fails only when no
/// byte arrives for <see cref="StallWindow"/> (the manager may first fetch a .deb from the mirror), never for taking long.
/// </summary>
public sealed class HttpPackageSource(HttpClient http, string baseUrl, string? agentKey) : IPackageSource
{
    public static readonly TimeSpan StallWindow = TimeSpan.FromSeconds(90);

    private readonly string _baseUrl = baseUrl.TrimEnd('/');

    public async Task<bool> CopyToAsync(ArchivePath path, Stream destination, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(StallWindow);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_baseUrl}/api/v1/packages/{path.Text}");
        if (agentKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agentKey);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DriverException($"the manager's package repository answered {(int)response.StatusCode} for {path.Text}: {await response.Content.ReadAsStringAsync(stall.Token)}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, stall.Token)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), stall.Token);
                stall.CancelAfter(StallWindow); // progress: the window starts again
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DriverException($"no byte of {path.Text} came from {_baseUrl} for {StallWindow.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new DriverException($"the manager's package repository at {_baseUrl} did not answer for {path.Text}: {e.Message}");
        }
    }
}
