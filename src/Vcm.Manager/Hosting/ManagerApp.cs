using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Manager.Api;
using Vcm.Manager.Configuration;
using Vcm.Store;
using Vcm.Store.Auth;

namespace Vcm.Manager.Hosting;

/// <summary>A built manager: the web application plus what its starter needs to know.</summary>
public sealed class ManagerApp(WebApplication app, string adminToken, LocalSite site, Database database) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public string AdminToken { get; } = adminToken;

    public LocalSite Site { get; } = site;

    public Database Database { get; } = database;

    /// <summary>Makes a join token for an agent this process starts itself.</summary>
    public async Task<string> CreateJoinTokenAsync(CancellationToken cancellationToken)
    {
        var clock = App.Services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        var (_, secret) = await App.Services.GetRequiredService<TokenStore>().CreateJoinTokenAsync(
            "vcm up", now.ToUnixTimeMilliseconds(), (now + HostEndpoints.JoinTokenLifetime).ToUnixTimeMilliseconds(), cancellationToken);
        return Drivers.Tls.SiteToken.Format(secret, App.Services.GetRequiredService<Tls.SiteAuthority>().Fingerprint);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
