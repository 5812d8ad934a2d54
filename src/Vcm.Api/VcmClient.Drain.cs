namespace Vcm.Api;

/// <summary>Draining, undraining and consolidating hosts (the provider).</summary>
public sealed partial class VcmClient
{
    public Task<DrainView> DrainHostAsync(string host, CancellationToken cancellationToken = default) =>
        SendAsync<DrainView>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/hosts/{Uri.EscapeDataString(host)}/drain"), cancellationToken);

    public Task<HostView> UndrainHostAsync(string host, CancellationToken cancellationToken = default) =>
        SendAsync<HostView>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/hosts/{Uri.EscapeDataString(host)}/undrain"), cancellationToken);

    public Task<ConsolidationView> ConsolidateAsync(bool dryRun, CancellationToken cancellationToken = default) =>
        SendAsync<ConsolidationView>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/hosts/consolidate?dryRun={(dryRun ? "true" : "false")}"), cancellationToken);
}
