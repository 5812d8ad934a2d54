using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Rpc;

namespace Vcm.Testing;

/// <summary>Reads an agent's hosts' inventory over its RPC, with the key from its data folder: what really exists.</summary>
public sealed class AgentInspector(string url, string agentDataDirectory) : IDisposable
{
    private readonly HttpClient _http = Create(url, agentDataDirectory);

    public async Task<IReadOnlyList<HostInventory>> InventoryAsync()
    {
        var hosts = await _http.GetFromJsonAsync<List<HostFacts>>(AgentPaths.Hosts, AgentJson.Options);
        var list = new List<HostInventory>();
        foreach (var host in hosts!)
        {
            list.Add((await _http.GetFromJsonAsync<HostInventory>(AgentPaths.Inventory(host.Name), AgentJson.Options))!);
        }

        return list;
    }

    /// <summary>How many times each live VM was created, over all hosts.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CreationsAsync()
    {
        var hosts = await _http.GetFromJsonAsync<List<HostFacts>>(AgentPaths.Hosts, AgentJson.Options);
        var all = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var host in hosts!)
        {
            var counts = await _http.GetFromJsonAsync<Dictionary<string, int>>($"/agent/v1/sim/{host.Name}/creations", AgentJson.Options);
            foreach (var (vm, n) in counts!)
            {
                all[vm] = all.GetValueOrDefault(vm) + n;
            }
        }

        return all;
    }

    public void Dispose() => _http.Dispose();

    private static HttpClient Create(string url, string dataDirectory)
    {
        var identity = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataDirectory, "agent.json")));
        // over HTTPS as one of the site's own: with the agent's certificate, trusting its site's CA
        var http = Vcm.Agent.Hosting.AgentTls.Load(dataDirectory).Client(TimeSpan.FromSeconds(30));
        http.BaseAddress = new Uri(url);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", identity.RootElement.GetProperty("key").GetString());
        return http;
    }
}
