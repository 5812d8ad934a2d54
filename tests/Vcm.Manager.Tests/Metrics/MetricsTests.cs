using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Agent.Hosting;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Drivers.Rpc;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Metrics;

/// <summary>
/// GET /metrics on a live manager with simulated hosts: clusters by phase, admissions by outcome, reconcile passes,
/// hosts' capacity and claims, and nodes' use as the agent's heartbeat reports it — for the provider only.
/// </summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Metrics_CountClustersAdmissionsAndReconciles_AndShowHostsClaims()
    {
        await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "m", Workers = 1, Cpus = 2 }, CancellationToken.None);
        await _site.WaitForPhaseAsync("m", "Ready");
        var refused = await Assert.ThrowsAsync<VcmApiException>(() =>
            _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "huge", Workers = 60, Cpus = 32 }, CancellationToken.None));

        var metrics = await ScrapeAsync();

        Assert.Equal(409, refused.Status);
        Assert.Equal(1, metrics.Value("vcm_clusters{phase=\"Ready\"}"));
        Assert.Equal(0, metrics.Value("vcm_clusters{phase=\"Failed\"}"));
        Assert.Equal(1, metrics.Value("vcm_admission_duration_seconds_count{outcome=\"admitted\"}"));
        Assert.Equal(1, metrics.Value("vcm_admission_duration_seconds_count{outcome=\"no_capacity\"}"));
        Assert.True(metrics.Value("vcm_reconcile_duration_seconds_count{phase=\"Provisioning\"}") >= 1);
        Assert.Equal(0, metrics.Value("vcm_reconcile_errors_total"));
        var hosts = _site.Agent.Hosts.Facts;
        Assert.All(hosts, h => Assert.Equal(1, metrics.Value($"vcm_host_up{{host=\"{h.Name}\"}}")));
        Assert.All(hosts, h => Assert.Equal(h.Cpus, metrics.Value($"vcm_host_cpus{{host=\"{h.Name}\"}}")));
        // a head and a worker of 2 vCPUs are claimed now
        Assert.Equal(4, hosts.Sum(h => metrics.Value($"vcm_host_claimed_cpus{{host=\"{h.Name}\"}}")));
    }

    [Fact]
    public async Task NodesUse_AsTheAgentsHeartbeatReportsIt_ShowsByClusterAndNode()
    {
        var cluster = await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "u", Workers = 1, Memory = "1G" }, CancellationToken.None);
        await _site.WaitForPhaseAsync("u", "Ready");
        var ready = await _site.Client.GetClusterAsync("u", true, CancellationToken.None);

        var usage = await VmUsageReports.ReadAsync(_site.Agent.Hosts, NullLogger.Instance, CancellationToken.None);
        var beat = await _site.HeartbeatAsync(usage);
        var metrics = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.NoContent, beat.StatusCode);
        Assert.Equal(2, usage.Count);
        foreach (var node in ready.Nodes!)
        {
            // a simulated VM holds all its memory and uses no CPU time
            Assert.Equal(1024L * 1024 * 1024, metrics.Value($"vcm_node_memory_bytes{{cluster=\"u\",node=\"{node.Name}\",host=\"{node.Host}\"}}"));
            Assert.Equal(0, metrics.Value($"vcm_node_cpu_seconds_total{{cluster=\"u\",node=\"{node.Name}\",host=\"{node.Host}\"}}"));
        }

        Assert.Equal("u", cluster.Name);
    }

    [Fact]
    public async Task AHeartbeatReportingAnotherAgentsHostOrNonsense_Is422_AndShowsNothing()
    {
        var beat = await _site.HeartbeatAsync(
            [new VmUsageReport("not-mine", "vc-x-node-01", 1, 1), new VmUsageReport(_site.Agent.Hosts.Facts[0].Name, "vc-x-node-02", -1, 1)]);
        var metrics = await ScrapeAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, beat.StatusCode);
        var problem = await beat.Content.ReadFromJsonAsync<ProblemView>(ApiJson.Options);
        Assert.Equal(["vms[0].host", "vms[1]"], problem!.Errors!.Select(e => e.Field));
        Assert.DoesNotContain("vcm_node_memory_bytes{", metrics.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheProvider_MayReadMetrics()
    {
        await _site.Client.CreateTenantAsync(new TenantCreateRequest("t", null), CancellationToken.None);
        await _site.Client.CreateUserAsync(new UserCreateRequest("admin-of-t", "t", "tenant-admin", null), CancellationToken.None);
        var token = await _site.Client.CreateTokenAsync(new TokenCreateRequest("admin-of-t", "test", null), CancellationToken.None);
        using var http = _site.NewHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);

        var asTenantAdmin = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var anonymous = await _site.Anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, asTenantAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private async Task<MetricsText> ScrapeAsync()
    {
        using var http = _site.NewHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _site.Manager.AdminToken);
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        return new MetricsText(await response.Content.ReadAsStringAsync());
    }
}
