using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Drivers.Rpc;

namespace Vcm.Agent.Hosting;

/// <summary>Joins the manager with the site's join token, then reports every few seconds; joins again if forgotten.</summary>
internal sealed partial class AgentJoinService(
    AgentOptions options,
    AgentIdentity identity,
    AgentHosts hosts,
    IServer server,
    IHttpClientFactory httpClientFactory,
    ILogger<AgentJoinService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.JoinUrl is null)
        {
            return;
        }

        // The server's address is known once it has started.
        await Task.Yield();
        var url = await WaitForAddressAsync(stoppingToken);
        var joined = false;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                joined = joined ? await HeartbeatAsync(url, stoppingToken) : await JoinAsync(url, stoppingToken);
                failures = 0;
            }
            catch (HttpRequestException e)
            {
                if (failures++ % 10 == 0)
                {
                    LogUnreachable(logger, options.JoinUrl, e.Message);
                }
            }
            catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var delay = joined ? options.HeartbeatInterval : TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Pow(2, Math.Min(failures, 5))));
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> JoinAsync(string url, CancellationToken cancellationToken)
    {
        using var client = Client();
        var request = new AgentJoinRequest(options.JoinToken ?? "", identity.Id, identity.Key, url, hosts.Facts);
        using var response = await client.PostAsJsonAsync(options.JoinUrl + AgentPaths.Join, request, AgentJson.Options, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogJoinRefused(logger, options.JoinUrl!, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            return false;
        }

        LogJoined(logger, options.JoinUrl!, hosts.ByName.Count);
        return true;
    }

    private async Task<bool> HeartbeatAsync(string url, CancellationToken cancellationToken)
    {
        using var client = Client();
        using var message = new HttpRequestMessage(HttpMethod.Post, options.JoinUrl + AgentPaths.Heartbeat)
        {
            Content = JsonContent.Create(new AgentHeartbeat(identity.Id, url, hosts.Facts), options: AgentJson.Options),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", identity.Key);
        using var response = await client.SendAsync(message, cancellationToken);
        return response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.NotFound);
    }

    private HttpClient Client()
    {
        var client = httpClientFactory.CreateClient("manager");
        client.Timeout = TimeSpan.FromSeconds(10);
        return client;
    }

    private async Task<string> WaitForAddressAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is not null && !address.EndsWith(":0", StringComparison.Ordinal))
            {
                return address;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "manager {Url} unreachable: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string url, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "manager {Url} refused to take this agent in ({Status}): {Body}")]
    private static partial void LogJoinRefused(ILogger logger, string url, int status, string body);

    [LoggerMessage(Level = LogLevel.Information, Message = "joined {Url} with {Count} hosts")]
    private static partial void LogJoined(ILogger logger, string url, int count);
}
