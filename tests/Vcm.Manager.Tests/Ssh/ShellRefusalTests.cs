using System.Net.Http.Headers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.TestHost;
using Vcm.Manager.Tests.Tenancy;
using Xunit;

namespace Vcm.Manager.Tests.Ssh;

/// <summary>
/// The web shell's answers before a node is reachable: another tenant's user is refused before the upgrade (404, the
/// cluster does not exist for it); the cluster's member gets the socket closed 1008 with the reason, which a browser's
/// page can show (a simulated site has no external network, so no node is reachable by SSH). The shell itself on a real
/// VM is LabTests.Shell.
/// </summary>
public sealed class ShellRefusalTests : IAsyncLifetime
{
    private TenancyWorld _world = null!;

    public async Task InitializeAsync() => _world = await TenancyWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task ANodeNotReachableYet_ClosesTheSocket1008_WithTheReason()
    {
        using var socket = await ConnectAsync("a-member");
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Contains("cannot be reached by SSH yet", socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherTenantsUser_IsRefusedBeforeTheUpgrade()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ConnectAsync("b-member"));

        Assert.Contains("404", refused.Message, StringComparison.Ordinal);
    }

    private async Task<WebSocket> ConnectAsync(string user)
    {
        var client = _world.Site.Manager.App.GetTestServer().CreateWebSocketClient();
        client.ConfigureRequest = r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _world.Tokens[user]).ToString();
        return await client.ConnectAsync(new Uri("ws://localhost/api/v1/clusters/ca/nodes/head/shell"), CancellationToken.None);
    }
}
