using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Tls;

namespace Vcm.Agent.Hosting;

/// <summary>
/// Joins the manager with the site's join token, then reports every few seconds; joins again if forgotten, and to
/// renew its certificate when a third of its lifetime is left. Over HTTPS the agent first fetches the site's CA and
/// takes it only if it is the one the join token names; every join sends a signing request for a new key, and the
/// certificate the manager answers with is kept only if that CA issued it.
/// </summary>
internal sealed partial class AgentJoinService(
    AgentOptions options,
    AgentIdentity identity,
    AgentHosts hosts,
    AgentTls tls,
    TimeProvider clock,
    IServer server,
    ILogger<AgentJoinService> logger) : BackgroundService
{
    private HttpClient? _heartbeats;

    public override void Dispose()
    {
        _heartbeats?.Dispose();
        base.Dispose();
    }

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
                joined = joined && !CertificateDue(url) ? await HeartbeatAsync(url, stoppingToken) : await JoinAsync(url, stoppingToken);
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
            catch (System.Text.Json.JsonException e)
            {
                if (failures++ % 10 == 0)
                {
                    LogUnreachable(logger, options.JoinUrl, "it answered something that is not vcm's: " + e.Message);
                }
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

    /// <summary>An agent serving https needs a certificate, and a new one when a third of the old one's life is left.</summary>
    private bool CertificateDue(string url) =>
        url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
        && (tls.Credentials.Current.Certificate is not { } certificate || TlsFiles.DueForRenewal(certificate, clock.GetUtcNow()));

    private async Task<bool> JoinAsync(string url, CancellationToken cancellationToken)
    {
        var token = SiteToken.Parse(options.JoinToken);
        if (options.JoinUrl!.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && tls.Credentials.Current.Authority is null
            && !await FetchAuthorityAsync(token.CaFingerprint, cancellationToken))
        {
            return false;
        }

        // a client of its own: a connection made before the agent had its certificate is never reused for reports
        using var client = tls.Client(TimeSpan.FromSeconds(10));
        var (key, csr) = TlsFiles.NewRequest(identity.Id);
        using (key)
        {
            var request = new AgentJoinRequest(options.JoinToken ?? "", identity.Id, identity.Key, url, hosts.Facts, csr);
            using var response = await client.PostAsJsonAsync(options.JoinUrl + AgentPaths.Join, request, AgentJson.Options, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogJoinRefused(logger, options.JoinUrl!, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                return false;
            }

            var answer = await response.Content.ReadFromJsonAsync<AgentJoinResponse>(AgentJson.Options, cancellationToken);
            if (answer?.Certificate is { } certificate)
            {
                var refused = tls.Credentials.Current.Authority is null
                    ? tls.TrustAuthority(answer.Authority ?? "", token.CaFingerprint)
                    : null;
                refused ??= tls.Accept(certificate, key);
                if (refused is not null)
                {
                    LogCertificateRefused(logger, options.JoinUrl!, refused);
                    return false;
                }
            }
        }

        _heartbeats?.Dispose();
        _heartbeats = null;
        LogJoined(logger, options.JoinUrl!, hosts.ByName.Count);
        return true;
    }

    /// <summary>The site's CA, taken only when its fingerprint is the join token's: the one call that takes any server certificate.</summary>
    private async Task<bool> FetchAuthorityAsync(string? fingerprint, CancellationToken cancellationToken)
    {
        if (fingerprint is null)
        {
            LogCertificateRefused(logger, options.JoinUrl!, "the join token names no CA fingerprint, so the manager cannot be checked over HTTPS: make a new join token");
            return false;
        }

        using var any = new HttpClient(TlsCredentials.AnyServer()) { Timeout = TimeSpan.FromSeconds(10) };
        var view = await any.GetFromJsonAsync<System.Text.Json.JsonElement>(options.JoinUrl + AgentPaths.SiteCa, cancellationToken);
        var pem = view.ValueKind == System.Text.Json.JsonValueKind.Object && view.TryGetProperty("certificate", out var text) ? text.GetString() : null;
        if (tls.TrustAuthority(pem ?? "", fingerprint) is { } refused)
        {
            LogCertificateRefused(logger, options.JoinUrl!, refused);
            return false;
        }

        return true;
    }

    private async Task<bool> HeartbeatAsync(string url, CancellationToken cancellationToken)
    {
        var client = _heartbeats ??= tls.Client(TimeSpan.FromSeconds(10));
        using var message = new HttpRequestMessage(HttpMethod.Post, options.JoinUrl + AgentPaths.Heartbeat)
        {
            Content = JsonContent.Create(new AgentHeartbeat(identity.Id, url, hosts.Facts, await VmUsageReports.ReadAsync(hosts, logger, cancellationToken)), options: AgentJson.Options),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", identity.Key);
        using var response = await client.SendAsync(message, cancellationToken);
        return response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.NotFound);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "not joining {Url}: {Reason}")]
    private static partial void LogCertificateRefused(ILogger logger, string url, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "joined {Url} with {Count} hosts")]
    private static partial void LogJoined(ILogger logger, string url, int count);
}
