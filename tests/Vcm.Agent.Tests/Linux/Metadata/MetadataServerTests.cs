using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Metadata;
using Vcm.Drivers.Network;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Metadata;

/// <summary>
/// The metadata service in-process on loopback. Requests come from chosen loopback addresses (127.0.0.11, …), so the
/// source-address check is the real one: a node is who its token and its address say, together.
/// </summary>
public sealed class MetadataServerTests : IAsyncLifetime
{
    private const string N1 = "127.0.0.11";
    private const string N2 = "127.0.0.12";
    private const string N3 = "127.0.0.13";
    private const string Stranger = "127.0.0.50";

    private readonly TempDirectory _dir = new("vcm-metadata");
    private readonly LogCollector _log = new();
    // Starts at the present: nodes.json written during a test is recent by it, so a rewrite is always seen.
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));
    private MetadataHarness? _server;

    /// <summary>n1's SSH host key, made by the manager; n2 and n3 make their own.</summary>
    private static readonly SshHostKey N1HostKey = Manager.Ssh.NodeHostKeys.Create("root@n1.test");

    private static readonly GatewaySpec Spec = new()
    {
        Name = "gw-test",
        Bridge = "br-test",
        Subnet = "127.0.0.0/8",
        Address = "127.0.0.1",
        Domain = "test",
        Nodes =
        [
            new GatewayNode("n1", "52:54:00:00:00:11", N1, ["ssh-ed25519 AAAAkey1 alice", "ssh-ed25519 AAAAkey2 bob"], Token: "token-one", HostKey: N1HostKey.PrivateKey),
            new GatewayNode("n2", "52:54:00:00:00:12", N2, ["ssh-ed25519 AAAAkey1 alice"], "#!/bin/sh\necho secret-of-n2 > /run/x\n", Token: "token-two"),
            new GatewayNode("n3", "52:54:00:00:00:13", N3, [], Token: ""),
        ],
    };

    private CancellationToken Ct => _timeout.Token;

    private string Dir => _dir.Path;

    public async Task InitializeAsync()
    {
        await GatewayFiles.WriteNodesAsync(Dir, Spec, Ct);
        _server = await MetadataHarness.StartAsync(Dir, _log, _clock, Ct);
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
    public async Task Hostname_RightTokenFromItsAddress_IsTheNodesName()
    {
        var (status, body) = await GetAsync(N1, "token-one", "/v1/self/hostname");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("n1\n", body);
    }

    [Fact]
    public async Task AuthorizedKeys_RightNode_AreItsKeysOnePerLine()
    {
        var (status, body) = await GetAsync(N1, "token-one", "/v1/self/authorized_keys");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ssh-ed25519 AAAAkey1 alice\nssh-ed25519 AAAAkey2 bob\n", body);
    }

    [Fact]
    public async Task UserScript_NodeWithOne_IsTheScript()
    {
        var (status, body) = await GetAsync(N2, "token-two", "/v1/self/user-script");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Spec.Nodes[1].UserScript, body);
    }

    [Fact]
    public async Task UserScript_NodeWithout_Is404()
    {
        var (status, _) = await GetAsync(N1, "token-one", "/v1/self/user-script");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task HostKey_TheNodeItWasMadeFor_GetsItsPrivateKey_KeptOwnerOnlyOnTheGateway()
    {
        var (status, body) = await GetAsync(N1, "token-one", "/v1/self/host-key");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(N1HostKey.PrivateKey, body);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(GatewayFiles.NodesFile(Dir)));
    }

    [Fact]
    public async Task HostKey_ANodeThatMakesItsOwn_Is404()
    {
        var (status, body) = await GetAsync(N2, "token-two", "/v1/self/host-key");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("", body);
    }

    [Theory]
    [InlineData(N1, "token-two", "another node's token from the key's node's address")]
    [InlineData(N2, "token-one", "the key's node's token from another node's address")]
    [InlineData(N2, "token-two", "another node, proven")]
    [InlineData(Stranger, "token-one", "the key's node's token from an address no node has")]
    public async Task HostKey_AskedAsAnyOtherNode_RevealsNothingOfIt(string from, string token, string scenario)
    {
        var (status, body) = await GetAsync(from, token, "/v1/self/host-key");

        Assert.True(status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{scenario}: answered {status}");
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        Assert.Equal("", body);
    }

    [Theory]
    [InlineData(N1, null, "no token")]
    [InlineData(N1, "", "empty token")]
    [InlineData(N1, "token-wrong", "a wrong token")]
    [InlineData(N1, "token-two", "another node's token from this node's address")]
    [InlineData(N2, "token-one", "this node's token from another node's address")]
    [InlineData(Stranger, "token-one", "a right token from an address no node has")]
    [InlineData(N3, "", "the node without a token, no token")]
    [InlineData(N3, "anything", "the node without a token, some token")]
    public async Task Request_NotProvenByTokenAndAddress_Is403WithEmptyBody(string from, string? token, string scenario)
    {
        foreach (var path in new[] { "/v1/self/hostname", "/v1/self/authorized_keys", "/v1/self/user-script", "/v1/self/nothing-here", "/" })
        {
            var (status, body) = await GetAsync(from, token, path);

            Assert.True(status == HttpStatusCode.Forbidden, $"{scenario}: GET {path} answered {status}");
            Assert.Equal("", body);
        }
    }

    [Fact]
    public async Task PhoneHome_FromTheNode_WritesItsReportAtomically()
    {
        var (line, fingerprint) = SshKeyLines.Ed25519("root@n1");
        var content = SshKeyLines.FormContent(
            ("hostname", "n1"), ("mac", "52:54:00:00:00:11"), ("ip", N1), ("uptime", "3.25"), ("script_rc", "0"), ("hostkey", line), ("fingerprint", fingerprint));

        var (status, body) = await PostAsync(N1, "token-one", content);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok\n", body);
        var report = Assert.Single(await GatewayFiles.ReadReportsAsync(Dir, Ct));
        var keyWithoutComment = string.Join(' ', line.Split(' ').Take(2));
        Assert.Equal(new NodeReport("n1", N1, "n1", keyWithoutComment, fingerprint, 3.25, "0", _clock.GetUtcNow()), report);
        var json = await File.ReadAllTextAsync(Path.Combine(Dir, "phone-home", "n1.json"), Ct);
        Assert.Equal(report, JsonSerializer.Deserialize<NodeReport>(json, JsonSerializerOptions.Web));
        Assert.Contains("\"hostKey\"", json, StringComparison.Ordinal);
        Assert.Equal(["n1.json"], Directory.GetFiles(Path.Combine(Dir, "phone-home")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task PhoneHome_NoFingerprintSent_IsComputedFromTheKey()
    {
        var (line, fingerprint) = SshKeyLines.Ed25519();

        var (status, _) = await PostAsync(N2, "token-two", SshKeyLines.FormContent(("hostname", "n2"), ("hostkey", line), ("script_rc", "none")));

        Assert.Equal(HttpStatusCode.OK, status);
        var report = Assert.Single(await GatewayFiles.ReadReportsAsync(Dir, Ct));
        Assert.Equal(("n2", N2, fingerprint, "none", 0.0), (report.Name, report.Ip, report.Fingerprint, report.ScriptRc, report.Uptime));
    }

    [Fact]
    public async Task PhoneHome_WithSetupProblems_KeepsEachLine_WithoutControlCharacters_AndAtMostEight()
    {
        var (line, _) = SshKeyLines.Ed25519();
        var problems = "no /home from head (10.0.0.2) over NFS: mount.nfs4: Connection timed out;slurmd did not start:\u0007 x;;"
            + string.Concat(Enumerable.Range(1, 9).Select(i => $"extra {i};")) + new string('z', 300);

        var (status, _) = await PostAsync(N1, "token-one", SshKeyLines.FormContent(("hostname", "n1"), ("hostkey", line), ("setup_problems", problems)));

        Assert.Equal(HttpStatusCode.OK, status);
        var report = Assert.Single(await GatewayFiles.ReadReportsAsync(Dir, Ct));
        Assert.Equal(
            "no /home from head (10.0.0.2) over NFS: mount.nfs4: Connection timed out; slurmd did not start: x; extra 1; extra 2; extra 3; extra 4; extra 5; extra 6",
            report.SetupProblems);
    }

    [Fact]
    public async Task PhoneHome_WithoutSetupProblems_ReportsNone()
    {
        var (line, _) = SshKeyLines.Ed25519();

        await PostAsync(N1, "token-one", SshKeyLines.FormContent(("hostname", "n1"), ("hostkey", line)));

        Assert.Equal("", Assert.Single(await GatewayFiles.ReadReportsAsync(Dir, Ct)).SetupProblems);
    }

    [Theory]
    [InlineData("n1", "not-a-key", "")]
    [InlineData("n1", "ssh-ed25519 !!!notbase64", "")]
    [InlineData("", "KEY", "")]
    [InlineData("bad host/name", "KEY", "")]
    [InlineData("n1", "KEY", "SHA256:someoneelse")]
    public async Task PhoneHome_BadForm_Is400AndWritesNothing(string hostname, string hostkey, string fingerprint)
    {
        var (line, _) = SshKeyLines.Ed25519();
        var content = SshKeyLines.FormContent(("hostname", hostname), ("hostkey", hostkey == "KEY" ? line : hostkey), ("fingerprint", fingerprint));

        var (status, _) = await PostAsync(N1, "token-one", content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Empty(await GatewayFiles.ReadReportsAsync(Dir, Ct));
    }

    [Fact]
    public async Task PhoneHome_WrongToken_Is403AndWritesNothing()
    {
        var (line, _) = SshKeyLines.Ed25519();

        var (status, body) = await PostAsync(N1, "token-two", SshKeyLines.FormContent(("hostname", "n1"), ("hostkey", line)));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("", body);
        Assert.Empty(await GatewayFiles.ReadReportsAsync(Dir, Ct));
    }

    [Fact]
    public async Task NodesJson_Rewritten_NewTokensAndNodesCountAtOnce()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(N1, "token-one", "/v1/self/hostname")).Status);
        var changed = Spec with
        {
            Nodes = [Spec.Nodes[0] with { Token = "token-one-b" }, Spec.Nodes[1], new GatewayNode("n4", "52:54:00:00:00:14", "127.0.0.14", [], Token: "token-four")],
        };

        Assert.True(await GatewayFiles.WriteNodesAsync(Dir, changed, Ct));

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(N1, "token-one", "/v1/self/hostname")).Status);
        Assert.Equal((HttpStatusCode.OK, "n1\n"), await GetAsync(N1, "token-one-b", "/v1/self/hostname"));
        Assert.Equal((HttpStatusCode.OK, "n4\n"), await GetAsync("127.0.0.14", "token-four", "/v1/self/hostname"));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(N3, "anything", "/v1/self/hostname")).Status);
    }

    [Fact]
    public async Task NodesJson_RewrittenTwiceAtOnce_LastContentCounts()
    {
        // two rewrites within the file system's timestamp granularity, same length: the content comparison catches it
        await GatewayFiles.WriteNodesAsync(Dir, Spec with { Nodes = [Spec.Nodes[0] with { Token = "token-AAA" }] }, Ct);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(N1, "token-AAA", "/v1/self/hostname")).Status);
        await GatewayFiles.WriteNodesAsync(Dir, Spec with { Nodes = [Spec.Nodes[0] with { Token = "token-BBB" }] }, Ct);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(N1, "token-BBB", "/v1/self/hostname")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(N1, "token-AAA", "/v1/self/hostname")).Status);
    }

    [Fact]
    public async Task Requests_EachLogsOneLine_WithoutTheToken()
    {
        await GetAsync(N1, "token-one", "/v1/self/hostname");
        await GetAsync(N1, "token-wrong", "/v1/self/hostname");
        await GetAsync(N2, "token-two", "/v1/self/user-script");

        var lines = _log.Entries.Where(l => l.Category == typeof(MetadataServer).FullName && l.EventId == 1).Select(l => l.Message).ToList();

        Assert.Equal(3, lines.Count);
        Assert.Contains("GET /v1/self/hostname from 127.0.0.11 node n1: 200", lines[0], StringComparison.Ordinal);
        Assert.Contains("GET /v1/self/hostname from 127.0.0.11 node -: 403", lines[1], StringComparison.Ordinal);
        Assert.Contains("wrong token for node n1", lines[1], StringComparison.Ordinal);
        Assert.Contains("node n2: 200", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Entries, l => l.Message.Contains("token-", StringComparison.Ordinal));
    }

    private Task<(HttpStatusCode Status, string Body)> GetAsync(string from, string? token, string path) => _server!.GetAsync(from, token, path, Ct);

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string from, string token, HttpContent content)
    {
        using var client = From(from);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server!.Url, "/v1/phone-home")) { Content = content };
        request.Headers.Add(MetadataServer.TokenHeader, token);
        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static HttpClient From(string source) => MetadataHarness.From(source);
}
