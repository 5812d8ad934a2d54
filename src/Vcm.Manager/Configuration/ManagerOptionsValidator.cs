namespace Vcm.Manager.Configuration;

/// <summary>Checks a manager's configuration at start; each problem is a sentence naming the setting.</summary>
public static class ManagerOptionsValidator
{
    public static IReadOnlyList<string> Validate(ManagerOptions options)
    {
        var problems = new List<string>();
        foreach (var url in options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
            {
                problems.Add($"--listen '{url}' is not an http:// or https:// URL.");
            }
            else if (listen.Scheme == "http" && !Vcm.Drivers.Tls.Loopback.Is(listen))
            {
                problems.Add($"--listen '{url}' is plain HTTP on an address other than loopback: the manager serves HTTPS there, write https://{listen.Authority}.");
            }
        }

        if (options.VniFirst < 1 || options.VniLast > 16_777_215 || options.VniFirst > options.VniLast)
        {
            problems.Add($"The VNI range {options.VniFirst}-{options.VniLast} is not within 1-16777215.");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(options.SiteName, "^[a-z][a-z0-9-]{0,30}$"))
        {
            problems.Add($"--site '{options.SiteName}' is not a valid site name (lower-case letters, digits and '-').");
        }

        if (!Vcm.Domain.Networking.Ipv4Subnet.TryParse(options.SubnetPool, out var pool, out _) || !pool!.IsPrivate || pool.PrefixLength > 24)
        {
            problems.Add($"The subnet pool '{options.SubnetPool}' is not a private IPv4 network of /24 or larger.");
        }

        if (options.External is { } external)
        {
            if (!Vcm.Domain.Networking.Ipv4Subnet.TryParse(external.Subnet, out var ext, out _) || ext!.Size < 16)
            {
                problems.Add($"The external network '{external.Subnet}' is not an IPv4 network of /28 or larger.");
            }

            if (!System.Net.IPAddress.TryParse(external.Router, out _))
            {
                problems.Add($"The external router '{external.Router}' is not an IPv4 address.");
            }

            if (external.Bridge.Length is 0 or > 15)
            {
                problems.Add($"The external bridge '{external.Bridge}' is not a Linux interface name (1 to 15 characters).");
            }
        }

        if (options.MigrationsPerHost is < 1 or > 64)
        {
            problems.Add($"--migrations-per-host {options.MigrationsPerHost} is not from 1 to 64.");
        }

        var c = options.Controllers;
        if (c.Workers < 1)
        {
            problems.Add("The controller worker count must be at least 1.");
        }

        if (c.LeaseDuration <= c.PollInterval)
        {
            problems.Add("The lease duration must be longer than the poll interval.");
        }

        if (options.CertificateLifetime < TimeSpan.FromSeconds(30) || options.CertificateCheckInterval <= TimeSpan.Zero)
        {
            problems.Add("Certificates must live at least 30 s and be checked at a positive interval.");
        }

        problems.AddRange(FenceProblems(options));
        problems.AddRange(CacheImageProblems(options.CacheImages));
        problems.AddRange(CostProblems(options.Costs));
        if (options.Oidc is { } oidc)
        {
            problems.AddRange(OidcProblems(oidc));
        }

        return problems;
    }

    private static IEnumerable<string> FenceProblems(ManagerOptions options)
    {
        if (options.FenceCommand is { } command
            && (!Path.IsPathRooted(command) || !File.Exists(command) || (File.GetUnixFileMode(command) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0))
        {
            yield return $"--fence-command '{command}' is not an executable file given by its absolute path.";
        }

        if (options.FenceTimeout <= TimeSpan.Zero)
        {
            yield return "The fence command's timeout must be positive.";
        }

        if (options.HostDownAfter < TimeSpan.FromSeconds(3))
        {
            yield return $"--host-down-after {options.HostDownAfter.TotalSeconds:0} is less than 3 seconds: hosts would be fenced between two heartbeats.";
        }
    }

    private static IEnumerable<string> CacheImageProblems(CacheImageOptions cache)
    {
        if (cache.MinPercent is < 1 or > 100)
        {
            yield return $"--cache-percent {cache.MinPercent} is not a share of requests between 1 and 100.";
        }

        if (cache.Window is < 1 or > 100_000)
        {
            yield return $"--cache-window {cache.Window} is not a number of requests between 1 and 100000.";
        }

        if (cache.Recheck <= TimeSpan.Zero)
        {
            yield return "The cache images' recheck interval must be positive.";
        }
    }

    private static IEnumerable<string> OidcProblems(OidcOptions oidc)
    {
        if (!Uri.TryCreate(oidc.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(issuer.Query))
        {
            yield return $"--oidc-issuer '{oidc.Issuer}' is not an http:// or https:// URL.";
        }
        else if (issuer.Scheme == "http" && !Vcm.Drivers.Tls.Loopback.Is(issuer))
        {
            yield return $"--oidc-issuer '{oidc.Issuer}' is plain HTTP off loopback: an identity provider is reached over HTTPS.";
        }

        if (string.IsNullOrWhiteSpace(oidc.ClientId))
        {
            yield return "--oidc-client-id is required with --oidc-issuer.";
        }

        if (string.IsNullOrWhiteSpace(oidc.ClientSecret))
        {
            yield return "The OpenID Connect client secret is required with --oidc-issuer (--oidc-client-secret-file or $VCM_OIDC_CLIENT_SECRET).";
        }

        if (string.IsNullOrWhiteSpace(oidc.GroupClaim))
        {
            yield return "--oidc-group-claim must name a claim.";
        }

        if (!oidc.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid", StringComparer.Ordinal))
        {
            yield return $"--oidc-scopes '{oidc.Scopes}' must include openid.";
        }

        if (oidc.Groups.Count == 0)
        {
            yield return "--oidc-group is required with --oidc-issuer: without a group mapped to a tenant and role, nobody could sign in.";
        }

        if (oidc.PostLogoutRedirect is { } after && !(Uri.TryCreate(after, UriKind.Absolute, out var afterUri) && afterUri.Scheme is "http" or "https"))
        {
            yield return $"The post-logout redirect '{after}' is not an http:// or https:// URL.";
        }
    }

    private static IEnumerable<string> CostProblems(Vcm.Domain.Packages.CostDefaults costs)
    {
        (string Name, double Value, bool Positive)[] settings =
        [
            ("BuildBaseSeconds", costs.BuildBaseSeconds, false),
            ("BuildSecondsPerPackage", costs.BuildSecondsPerPackage, true),
            ("LayerMibPerPackage", costs.LayerMibPerPackage, true),
            ("TransferMibPerSecond", costs.TransferMibPerSecond, true),
            ("InstallSecondsPerPackage", costs.InstallSecondsPerPackage, true),
            ("BootSeconds", costs.BootSeconds, false),
        ];
        foreach (var (name, value, positive) in settings)
        {
            if (!double.IsFinite(value) || value < 0 || (positive && value == 0))
            {
                yield return $"The cost model's {name} {value} is not a {(positive ? "positive" : "non-negative")} number.";
            }
        }
    }
}
