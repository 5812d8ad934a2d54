using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Tls;

namespace Vcm.Manager.Agents;

/// <summary>The agent RPC over HTTP/JSON, authenticated with the agent's key.</summary>
public sealed class HttpAgentClient : IAgentClient, IDisposable
{
    private readonly HttpClient _http;

    /// <summary>
    /// Calls agents over mutual TLS with the manager's <paramref name="credentials"/> (agents on loopback may speak
    /// plain HTTP); with <paramref name="metrics"/>, every call is timed and its errors counted.
    /// </summary>
    public HttpAgentClient(TlsCredentials credentials, TimeSpan? timeout = null, Metrics.ManagerMetrics? metrics = null)
    {
        var handler = credentials.Handler(CertificateRole.Agent);
        _http = new HttpClient(metrics is null ? handler : new AgentCallMeter(handler, metrics))
        {
            Timeout = timeout ?? TimeSpan.FromMinutes(15),
        };
    }

    public async Task<IReadOnlyList<HostWorkResult>> ApplyAsync(
        IReadOnlyList<HostWork> work, IReadOnlyDictionary<string, AgentRoute> routes, CancellationToken cancellationToken)
    {
        var results = new List<HostWorkResult>(work.Count);
        var unrouted = work.Where(w => !routes.ContainsKey(w.Host)).ToList();
        results.AddRange(unrouted.Select(w => Failed(w, $"no agent serves host {w.Host}")));
        var calls = work.Where(w => routes.ContainsKey(w.Host)).GroupBy(w => routes[w.Host]).Select(async group =>
        {
            var request = new ApplyRequest(group.ToList());
            try
            {
                using var message = Message(HttpMethod.Post, group.Key, AgentPaths.Apply);
                message.Content = JsonContent.Create(request, options: AgentJson.Options);
                using var response = await _http.SendAsync(message, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return request.Hosts.Select(w => Failed(w, $"agent {group.Key.AgentId} answered {(int)response.StatusCode}")).ToList();
                }

                var body = await response.Content.ReadFromJsonAsync<ApplyResponse>(AgentJson.Options, cancellationToken);
                return body?.Hosts.ToList() ?? request.Hosts.Select(w => Failed(w, "empty answer")).ToList();
            }
            catch (HttpRequestException e)
            {
                return request.Hosts.Select(w => Failed(w, $"agent {group.Key.AgentId} at {group.Key.Url} unreachable: {e.Message}")).ToList();
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return request.Hosts.Select(w => Failed(w, $"agent {group.Key.AgentId} did not answer in time")).ToList();
            }
        }).ToList();
        foreach (var batch in await Task.WhenAll(calls))
        {
            results.AddRange(batch);
        }

        return results;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<VmStatus>?>> ListVmsAsync(
        IReadOnlyCollection<string> hosts, IReadOnlyDictionary<string, AgentRoute> routes, CancellationToken cancellationToken)
    {
        var result = hosts.ToDictionary(h => h, _ => (IReadOnlyList<VmStatus>?)null, StringComparer.Ordinal);
        var calls = hosts.Where(routes.ContainsKey).GroupBy(h => routes[h]).Select(async group =>
        {
            try
            {
                using var message = Message(HttpMethod.Post, group.Key, AgentPaths.Vms);
                message.Content = JsonContent.Create(group.ToList(), options: AgentJson.Options);
                using var response = await _http.SendAsync(message, cancellationToken);
                return response.IsSuccessStatusCode
                    ? await response.Content.ReadFromJsonAsync<Dictionary<string, List<VmStatus>>>(AgentJson.Options, cancellationToken)
                    : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }).ToList();
        foreach (var answer in await Task.WhenAll(calls))
        {
            foreach (var (host, vms) in answer ?? [])
            {
                if (result.ContainsKey(host))
                {
                    result[host] = vms;
                }
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<NodeReport>?> ReportsAsync(string host, string gateway, AgentRoute route, CancellationToken cancellationToken)
    {
        try
        {
            using var message = Message(HttpMethod.Get, route, AgentPaths.Reports(host, gateway));
            using var response = await _http.SendAsync(message, cancellationToken);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync<List<NodeReport>>(AgentJson.Options, cancellationToken)
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async Task<string?> ConsoleAsync(string host, string vm, int bytes, AgentRoute route, CancellationToken cancellationToken)
    {
        try
        {
            using var message = Message(HttpMethod.Get, route, AgentPaths.Console(host, vm, bytes));
            using var response = await _http.SendAsync(message, cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage Message(HttpMethod method, AgentRoute route, string path)
    {
        var message = new HttpRequestMessage(method, route.Url.TrimEnd('/') + path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", route.Key);
        return message;
    }

    private static HostWorkResult Failed(HostWork work, string error) =>
        new(work.Host, work.Steps.Select(s => new StepResult(s.Kind, s.Target, StepOutcome.Failed, error)).ToList());
}
