using System.CommandLine;
using Vcm.Cli.Infrastructure;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Configuration;

namespace Vcm.Cli.Commands.Processes;

/// <summary>
/// A manager's single sign-on, from `vcm manager` and `vcm up` flags. The client secret never comes from an
/// argument: --oidc-client-secret-file or $VCM_OIDC_CLIENT_SECRET. The manager checks the values at start.
/// </summary>
public static class OidcFlags
{
    public static readonly Option<string?> Issuer = new("--oidc-issuer") { Description = "Single sign-on: the OpenID Connect provider's issuer URL (HTTPS off loopback)." };
    public static readonly Option<string?> ClientId = new("--oidc-client-id") { Description = "The manager's client id at the provider." };
    public static readonly Option<string?> SecretFile = new("--oidc-client-secret-file") { Description = "A file holding the client secret (or $VCM_OIDC_CLIENT_SECRET)." };
    public static readonly Option<string[]> Groups = new("--oidc-group") { Description = "GROUP=TENANT:ROLE or GROUP=provider: what a group of the provider gives (may be given more than once; read again at every sign-in).", AllowMultipleArgumentsPerToken = false };
    public static readonly Option<string?> GroupClaim = new("--oidc-group-claim") { Description = "The claim that lists a user's groups (default groups)." };
    public static readonly Option<string?> Scopes = new("--oidc-scopes") { Description = "The scopes asked for, between spaces (default \"openid profile\"; add the one that brings the groups, e.g. groups)." };
    public static readonly Option<string?> Name = new("--oidc-name") { Description = "What the portal's sign-in button says (default \"Single sign-on\")." };

    public static IEnumerable<Option> All => [Issuer, ClientId, SecretFile, Groups, GroupClaim, Scopes, Name];

    public static void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options, or null without --oidc-issuer; a malformed --oidc-group is a usage error naming it.</summary>
    public static OidcOptions? Read(Invocation cli)
    {
        if (cli.Get(Issuer) is not { } issuer)
        {
            string?[] others = [cli.Get(ClientId), cli.Get(SecretFile), cli.Get(GroupClaim), cli.Get(Scopes), cli.Get(Name), .. cli.Get(Groups) ?? []];
            return others.Any(o => o is not null)
                ? throw new CliException("The --oidc-* options configure single sign-on: give --oidc-issuer too.", ExitCodes.Usage)
                : null;
        }

        var grants = new List<GroupGrant>();
        foreach (var text in cli.Get(Groups) ?? [])
        {
            grants.Add(GroupGrant.TryParse(text, out var grant, out var problem) ? grant! : throw new CliException($"--oidc-group {problem}.", ExitCodes.Usage));
        }

        var secret = cli.Get(SecretFile) is { } file
            ? File.Exists(file) ? File.ReadAllText(file).Trim() : throw new CliException($"There is no client secret file {file}.", ExitCodes.Usage)
            : Environment.GetEnvironmentVariable("VCM_OIDC_CLIENT_SECRET") ?? "";
        var defaults = new OidcOptions { Issuer = issuer, ClientId = "", ClientSecret = "" };
        return defaults with
        {
            ClientId = cli.Get(ClientId) ?? "",
            ClientSecret = secret,
            Groups = grants,
            GroupClaim = cli.Get(GroupClaim) ?? defaults.GroupClaim,
            Scopes = cli.Get(Scopes) ?? defaults.Scopes,
            Name = cli.Get(Name) ?? defaults.Name,
        };
    }
}
