using System.Net;
using System.Net.WebSockets;
using System.Text;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Xunit;

namespace Vcm.Lab.Tests;

public sealed partial class LabTests
{
    /// <summary>
    /// The web shell on real VMs: a tenant's member opens GET …/nodes/node-01/shell as a WebSocket, types `hostname`
    /// and reads node-01 back from the node, through the gateway's forwarded SSH port in the lab's external namespace;
    /// `exit` ends the shell and the manager closes the socket 1000. Another tenant's member is refused 404 before any
    /// upgrade.
    /// </summary>
    [Fact]
    public async Task WebShell_TenantMemberRunsHostnameOnNode01_AnotherTenantGets404()
    {
        var ct = CancellationToken.None;
        var adminToken = (await File.ReadAllTextAsync(Path.Combine(lab.DataDirectory, "admin.token"))).Trim();
        using var admin = VcmClientFor(adminToken);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tenant in new[] { "shell-a", "shell-b" })
        {
            await admin.CreateTenantAsync(new TenantCreateRequest(tenant, null), ct);
            await admin.CreateUserAsync(new UserCreateRequest($"{tenant}-member", tenant, "member", [await File.ReadAllTextAsync(lab.PublicKeyFile)]), ct);
            tokens[tenant] = (await admin.CreateTokenAsync(new TokenCreateRequest($"{tenant}-member", "lab", null), ct)).Secret!;
        }

        await _own.AddAsync("sh");
        using (var member = VcmClientFor(tokens["shell-a"]))
        {
            await member.CreateClusterAsync(new ClusterSpecInput { Name = "sh", Workers = 1 }, ct);
        }

        await lab.Cli.WaitForPhaseAsync("sh", "Ready", TimeSpan.FromMinutes(10));

        using var shell = await ConnectShellAsync(tokens["shell-a"], "sh", "node-01");
        Assert.Equal(WebSocketState.Open, shell.State);
        await shell.SendAsync(Encoding.ASCII.GetBytes("hostname\n"), WebSocketMessageType.Binary, true, ct);
        var said = await ReadUntilAsync(shell, text => text.Split('\n').Any(l => l.Trim() == "node-01"));
        output.WriteLine($"web shell said: {said}");
        await shell.SendAsync(Encoding.ASCII.GetBytes("exit\n"), WebSocketMessageType.Binary, true, ct);
        await ReadUntilAsync(shell, _ => false, untilClosed: true);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, shell.CloseStatus);

        using var other = new ClientWebSocket();
        other.Options.CollectHttpResponseDetails = true;
        other.Options.SetRequestHeader("Authorization", $"Bearer {tokens["shell-b"]}");
        await Assert.ThrowsAsync<WebSocketException>(() => other.ConnectAsync(ShellUri("sh", "node-01"), ct));
        Assert.Equal(HttpStatusCode.NotFound, other.HttpStatusCode);
    }

    private VcmClient VcmClientFor(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(lab.Cli.Server) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new VcmClient(http);
    }

    private Uri ShellUri(string cluster, string node) =>
        new($"{lab.Cli.Server.Replace("http://", "ws://", StringComparison.Ordinal)}/api/v1/clusters/{cluster}/nodes/{node}/shell?cols=120&rows=40");

    private async Task<ClientWebSocket> ConnectShellAsync(string token, string cluster, string node)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await socket.ConnectAsync(ShellUri(cluster, node), CancellationToken.None);
        return socket;
    }

    /// <summary>The terminal's output until <paramref name="done"/> holds (or the socket closes, when asked); fails after 60 s.</summary>
    private static async Task<string> ReadUntilAsync(ClientWebSocket socket, Func<string, bool> done, bool untilClosed = false)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!done(text.ToString()))
        {
            WebSocketReceiveResult frame;
            try
            {
                frame = await socket.ReceiveAsync(buffer, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the shell did not answer within 60 s; it said: {text}");
            }

            if (frame.MessageType == WebSocketMessageType.Close)
            {
                Assert.True(untilClosed, $"the shell closed ({frame.CloseStatus} {frame.CloseStatusDescription}); it said: {text}");
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, frame.Count));
        }

        return text.ToString();
    }
}
