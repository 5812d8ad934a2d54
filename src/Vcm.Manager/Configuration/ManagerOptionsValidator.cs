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

        var c = options.Controllers;
        if (c.Workers < 1)
        {
            problems.Add("The controller worker count must be at least 1.");
        }

        if (c.LeaseDuration <= c.PollInterval)
        {
            problems.Add("The lease duration must be longer than the poll interval.");
        }

        return problems;
    }
}
