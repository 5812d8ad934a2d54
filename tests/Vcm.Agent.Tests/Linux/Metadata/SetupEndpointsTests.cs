using System.Net;
using Vcm.Agent.Metadata;
using Vcm.Drivers.Network;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>
/// The cluster set-up the metadata service serves (docs/guest-protocol.md, "Cluster set-up"), in-process on loopback
/// with requests from the nodes' own addresses: what the head and a worker each learn, and what only the head gets.
/// </summary>
public sealed class SetupEndpointsTests : IAsyncLifetime
{
    private const string Head = "127.0.0.21";
    private const string W1 = "127.0.0.22";
    private const string W2 = "127.0.0.23";

    private readonly TempDirectory _dir = new("vcm-setup");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));
    private MetadataHarness? _server;

    private static readonly byte[] Munge = Enumerable.Range(0, 128).Select(i => (byte)i).ToArray();

    private static readonly GatewaySpec Spec = new()
    {
        Name = "gw-setup",
        Bridge = "br-setup",
        Subnet = "127.0.0.0/8",
        Address = "127.0.0.1",
        Domain = "hpc",
        Nodes =
        [
            new GatewayNode("head", "52:54:00:00:00:21", Head, [], Token: "t-head", Head: true, Cpus: 2, MemoryMb: 2048),
            new GatewayNode("node-01", "52:54:00:00:00:22", W1, [], Token: "t-w1", Cpus: 2, MemoryMb: 2048),
            new GatewayNode("node-02", "52:54:00:00:00:23", W2, [], Token: "t-w2", Cpus: 2, MemoryMb: 2048),
        ],
        Setup = new GatewaySetup
        {
            Slurm = true,
            MungeKey = Convert.ToBase64String(Munge),
            NodeKey = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
            SharedVolume = true,
            Files =
            [
                new GatewayFile("/home/mpi/hello.c", "0644", Convert.ToBase64String("int main(){}\n"u8.ToArray())),
                new GatewayFile("/opt/run me.sh", "0755", Convert.ToBase64String([0, 1, 2, 255])),
            ],
        },
    };

    private CancellationToken Ct => _timeout.Token;

    public async Task InitializeAsync()
    {
        await GatewayFiles.WriteNodesAsync(_dir.Path, Spec, Ct);
        await GatewayFiles.WriteSetupAsync(_dir.Path, Spec, Ct);
        _server = await MetadataHarness.StartAsync(_dir.Path, null, null, Ct);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _timeout.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Cluster_TellsEachNodeItsRoleAndWhereTheHeadIs_AsShellAssignments()
    {
        var (_, head) = await GetAsync(Head, "t-head", "/v1/self/cluster");
        var (status, worker) = await GetAsync(W1, "t-w1", "/v1/self/cluster");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("VCM_ROLE='head'\n", head, StringComparison.Ordinal);
        Assert.Contains("VCM_FILES='2'\n", head, StringComparison.Ordinal);
        Assert.Equal(
            "VCM_CLUSTER='hpc'\nVCM_ROLE='worker'\nVCM_HEAD='head'\nVCM_HEAD_IP='127.0.0.21'\nVCM_SUBNET='127.0.0.0/8'\nVCM_SLURM='1'\nVCM_SHARED='1'\nVCM_FILES='0'\n",
            worker);
    }

    [Fact]
    public async Task Nodes_ListsEveryNodeWithRoleCpusAndMemory()
    {
        var (_, body) = await GetAsync(W2, "t-w2", "/v1/self/nodes");

        Assert.Equal("head 127.0.0.21 head 2 2048\nnode-01 127.0.0.22 worker 2 2048\nnode-02 127.0.0.23 worker 2 2048\n", body);
    }

    [Fact]
    public async Task MungeKeyAndSlurmConf_AreTheClustersOwn_TheSameForEveryNode()
    {
        Assert.Equal(Munge, (await _server!.GetBytesAsync(W1, "t-w1", "/v1/self/munge.key", Ct)).Body);

        var (_, fromHead) = await GetAsync(Head, "t-head", "/v1/self/slurm.conf");
        var (_, fromWorker) = await GetAsync(W2, "t-w2", "/v1/self/slurm.conf");
        Assert.Equal(fromHead, fromWorker);
        Assert.Contains("SlurmctldHost=head(127.0.0.21)\n", fromHead, StringComparison.Ordinal);
        Assert.Contains("NodeName=node-02 NodeAddr=127.0.0.23 CPUs=2 RealMemory=1792 State=UNKNOWN\n", fromHead, StringComparison.Ordinal);
        Assert.Contains("PartitionName=workers Nodes=node-01,node-02 Default=YES", fromHead, StringComparison.Ordinal);
        Assert.DoesNotContain("NodeName=head", fromHead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_OnlyTheHeadGetsThem_ByteForByte()
    {
        var (_, list) = await GetAsync(Head, "t-head", "/v1/self/files");
        Assert.Equal("0 0644 /home/mpi/hello.c\n1 0755 /opt/run me.sh\n", list);

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, (await _server!.GetBytesAsync(Head, "t-head", "/v1/self/files/1", Ct)).Body);

        var (_, none) = await GetAsync(W1, "t-w1", "/v1/self/files");
        Assert.Equal("", none);
        var (status, _) = await GetAsync(W1, "t-w1", "/v1/self/files/0");
        Assert.Equal(HttpStatusCode.NotFound, status);
        var (beyond, _) = await GetAsync(Head, "t-head", "/v1/self/files/2");
        Assert.Equal(HttpStatusCode.NotFound, beyond);
    }

    [Fact]
    public async Task KnownHosts_AreTheHostKeysNodesReportedWhenTheyPhonedHome()
    {
        var (_, before) = await GetAsync(W1, "t-w1", "/v1/self/known_hosts");
        Assert.Equal("", before);

        await GatewayFiles.WriteReportAsync(_dir.Path, new NodeReport("node-02", W2, "node-02", "ssh-ed25519 AAAAC3Nzaw2", "SHA256:x", 3.5, "none", DateTimeOffset.UtcNow), Ct);
        var (_, after) = await GetAsync(W1, "t-w1", "/v1/self/known_hosts");

        Assert.Equal("node-02,node-02.hpc,127.0.0.23 ssh-ed25519 AAAAC3Nzaw2\n", after);
    }

    [Fact]
    public async Task KnownHosts_AreAnsweredToANodesAddressWithoutItsToken_TheSecretsAreNot()
    {
        await GatewayFiles.WriteReportAsync(_dir.Path, new NodeReport("node-02", W2, "node-02", "ssh-ed25519 AAAAC3Nzaw2", "SHA256:x", 3.5, "none", DateTimeOffset.UtcNow), Ct);

        var (status, body) = await GetAsync(W1, null, "/v1/self/known_hosts");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("node-02,node-02.hpc,127.0.0.23 ssh-ed25519 AAAAC3Nzaw2\n", body);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("127.0.0.99", null, "/v1/self/known_hosts")).Status);
        foreach (var path in new[] { "/v1/self/node-key", "/v1/self/munge.key", "/v1/self/hostname" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(W1, null, path)).Status);
        }
    }

    [Fact]
    public async Task NotASlurmCluster_HasNoMungeKeyOrSlurmConf()
    {
        await GatewayFiles.WriteSetupAsync(_dir.Path, Spec with { Setup = Spec.Setup with { Slurm = false, MungeKey = null } }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(W1, "t-w1", "/v1/self/munge.key")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(W1, "t-w1", "/v1/self/slurm.conf")).Status);
        Assert.Contains("VCM_SLURM='0'", (await GetAsync(W1, "t-w1", "/v1/self/cluster")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_IsForNodesOnly()
    {
        foreach (var path in new[] { "/v1/self/cluster", "/v1/self/node-key", "/v1/self/munge.key", "/v1/self/files/0" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(W1, "t-head", path)).Status);
        }
    }

    private Task<(HttpStatusCode Status, string Body)> GetAsync(string from, string? token, string path) => _server!.GetAsync(from, token, path, Ct);
}
