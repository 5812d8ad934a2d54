using Vcm.Domain.Tenancy;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Hosting;

/// <summary>A manager's single sign-on settings are checked at start: every problem named, as a sentence naming its setting.</summary>
public sealed class OidcOptionsTests
{
    private static readonly OidcOptions Good = new()
    {
        Issuer = "https://id.example.org/realms/lab",
        ClientId = "vcm",
        ClientSecret = "s3cret",
        Groups = [new GroupGrant("lab-admins", "lab", Role.TenantAdmin)],
    };

    [Fact]
    public void GoodSettings_HaveNoProblem() =>
        Assert.Empty(ManagerOptionsValidator.Validate(new ManagerOptions { DataDirectory = "/tmp/x", Oidc = Good }));

    [Fact]
    public void BadSettings_AreEachNamed()
    {
        var bad = Good with { Issuer = "http://id.example.org", ClientId = " ", ClientSecret = "", GroupClaim = "", Scopes = "profile", Groups = [] };

        var problems = ManagerOptionsValidator.Validate(new ManagerOptions { DataDirectory = "/tmp/x", Oidc = bad });

        Assert.Collection(problems,
            p => Assert.StartsWith("--oidc-issuer 'http://id.example.org' is plain HTTP off loopback", p, StringComparison.Ordinal),
            p => Assert.StartsWith("--oidc-client-id is required", p, StringComparison.Ordinal),
            p => Assert.Contains("client secret is required", p, StringComparison.Ordinal),
            p => Assert.StartsWith("--oidc-group-claim", p, StringComparison.Ordinal),
            p => Assert.StartsWith("--oidc-scopes 'profile' must include openid", p, StringComparison.Ordinal),
            p => Assert.StartsWith("--oidc-group is required", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AManagerWithBadSettings_DoesNotStart_AndSaysWhy()
    {
        using var data = new TempDirectory("vcm-oidc-options");
        var options = new ManagerOptions { DataDirectory = data.Path, Oidc = Good with { Issuer = "not a url" } };

        var refused = await Assert.ThrowsAsync<ManagerConfigurationException>(() => ManagerServer.BuildAsync(options, CancellationToken.None));

        Assert.Contains("--oidc-issuer 'not a url' is not an http:// or https:// URL.", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, "vcm.db")));
    }
}
