using System.CommandLine;
using Vcm.Cli.Commands.Processes;
using Vcm.Cli.Infrastructure;
using Vcm.Domain.Tenancy;
using Xunit;

namespace Vcm.Cli.Tests.Commands;

/// <summary>`vcm manager --oidc-*`: the provider's settings read into the manager's options; mistakes are usage errors naming the flag.</summary>
public sealed class OidcFlagsTests
{
    private static Invocation Parse(params string[] args)
    {
        var command = new RootCommand();
        OidcFlags.AddTo(command);
        return new Invocation(command.Parse(args));
    }

    [Fact]
    public void TheFlags_BecomeTheManagersSingleSignOn()
    {
        using var cli = Parse("--oidc-issuer", "https://id.example.org", "--oidc-client-id", "vcm", "--oidc-group", "lab-admins=lab:tenant-admin", "--oidc-group", "ops=provider", "--oidc-group-claim", "roles");
        var secret = Environment.GetEnvironmentVariable("VCM_OIDC_CLIENT_SECRET");
        Environment.SetEnvironmentVariable("VCM_OIDC_CLIENT_SECRET", "from-env");
        try
        {
            var oidc = OidcFlags.Read(cli)!;

            Assert.Equal(("https://id.example.org", "vcm", "from-env", "roles", "openid profile"), (oidc.Issuer, oidc.ClientId, oidc.ClientSecret, oidc.GroupClaim, oidc.Scopes));
            Assert.Equal([new GroupGrant("lab-admins", "lab", Role.TenantAdmin), new GroupGrant("ops", null, Role.Provider)], oidc.Groups);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VCM_OIDC_CLIENT_SECRET", secret);
        }
    }

    [Fact]
    public void NoIssuer_NoSingleSignOn_ButOtherOidcFlagsAloneAreAMistake()
    {
        using var none = Parse();
        using var orphan = Parse("--oidc-client-id", "vcm");

        Assert.Null(OidcFlags.Read(none));
        var refused = Assert.Throws<CliException>(() => OidcFlags.Read(orphan));
        Assert.Equal((ExitCodes.Usage, "The --oidc-* options configure single sign-on: give --oidc-issuer too."), (refused.ExitCode, refused.Message));
    }

    [Fact]
    public void AMalformedGroup_IsAUsageErrorNamingIt()
    {
        using var cli = Parse("--oidc-issuer", "https://id.example.org", "--oidc-group", "lab-admins=lab");

        var refused = Assert.Throws<CliException>(() => OidcFlags.Read(cli));

        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.StartsWith("--oidc-group 'lab-admins=lab' names no valid tenant", refused.Message, StringComparison.Ordinal);
    }
}
