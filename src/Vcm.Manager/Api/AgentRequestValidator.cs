using System.Net;
using System.Text.RegularExpressions;
using Vcm.Domain.Common;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Rpc;

namespace Vcm.Manager.Api;

/// <summary>
/// What an agent may say of itself and its hosts, at a join and at every heartbeat: every problem, so that no
/// request registers a host with no or absurd capacity, an unknown driver or an unknown role.
/// </summary>
public static partial class AgentRequestValidator
{
    public const int MaxHosts = 100_000;
    public const int MaxCpus = 4096;
    public const long MaxMemoryMb = 64L * 1024 * 1024; // 64 TiB
    public const long MaxDiskMb = 1024L * 1024 * 1024; // 1 PiB
    public const int MaxWanPaths = 8;

    public static readonly IReadOnlyList<string> Drivers = ["sim", "linux"];
    public static readonly IReadOnlyList<string> Roles = ["compute", "gateway", "storage"];

    public static List<Problem> Join(string? agentId, string? key, string? url, IReadOnlyList<HostFacts?>? hosts)
    {
        var problems = Agent(agentId, url, hosts);
        if (string.IsNullOrEmpty(key) || key.Length < 16 || key.Length > 256)
        {
            problems.Add(new Problem("agentKey", "must be 16 to 256 characters"));
        }

        return problems;
    }

    /// <summary>A heartbeat's VM usage: each for one of the heartbeat's own hosts, with a VM name and figures that can be true.</summary>
    public static List<Problem> Usage(IReadOnlyList<VmUsageReport?>? vms, IReadOnlyCollection<string> hosts)
    {
        var problems = new List<Problem>();
        if (vms is null)
        {
            return problems;
        }

        if (vms.Count > MaxHosts)
        {
            problems.Add(new Problem("vms", $"lists {vms.Count} VMs; at most {MaxHosts} are allowed"));
            return problems;
        }

        var own = hosts.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < vms.Count; i++)
        {
            if (vms[i] is not { } vm || vm.Host is null || !own.Contains(vm.Host))
            {
                problems.Add(new Problem($"vms[{i}].host", "must be one of the heartbeat's hosts"));
            }
            else if (string.IsNullOrEmpty(vm.Vm) || !NamePattern().IsMatch(vm.Vm))
            {
                problems.Add(new Problem($"vms[{i}].vm", "must be letters, digits and '-', at most 63 characters"));
            }
            else if (!double.IsFinite(vm.CpuSeconds) || vm.CpuSeconds < 0 || vm.MemoryBytes < 0)
            {
                problems.Add(new Problem($"vms[{i}]", "cpuSeconds and memoryBytes must be 0 or more"));
            }
        }

        return problems;
    }

    public static List<Problem> Agent(string? agentId, string? url, IReadOnlyList<HostFacts?>? hosts)
    {
        var problems = new List<Problem>();
        if (string.IsNullOrEmpty(agentId) || !NamePattern().IsMatch(agentId))
        {
            problems.Add(new Problem("agentId", "must be letters, digits and '-', at most 63 characters"));
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problems.Add(new Problem("url", "must be the agent's http:// or https:// URL"));
        }

        if (hosts is null || hosts.Count == 0)
        {
            problems.Add(new Problem("hosts", "must list at least one host"));
            return problems;
        }

        if (hosts.Count > MaxHosts)
        {
            problems.Add(new Problem("hosts", $"lists {hosts.Count} hosts; at most {MaxHosts} are allowed"));
            return problems;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < hosts.Count; i++)
        {
            if (hosts[i] is not { } host)
            {
                problems.Add(new Problem($"hosts[{i}]", "must be a host's facts, not null"));
                continue;
            }

            Host(host, $"hosts[{i}]", problems);
            if (host.Name is { } name && !seen.Add(name))
            {
                problems.Add(new Problem($"hosts[{i}].name", $"'{name}' is listed twice"));
            }
        }

        return problems;
    }

    private static void Host(HostFacts host, string at, List<Problem> problems)
    {
        if (!NamePattern().IsMatch(host.Name ?? ""))
        {
            problems.Add(new Problem($"{at}.name", "must be letters, digits and '-', at most 63 characters"));
        }

        if (host.Cpus is < 1 or > MaxCpus)
        {
            problems.Add(new Problem($"{at}.cpus", $"is {host.Cpus}; a host has 1 to {MaxCpus}"));
        }

        if (host.MemoryMb is < 1 or > MaxMemoryMb)
        {
            problems.Add(new Problem($"{at}.memoryMb", $"is {host.MemoryMb}; a host has 1 to {MaxMemoryMb} MiB"));
        }

        if (host.DiskMb is < 1 or > MaxDiskMb)
        {
            problems.Add(new Problem($"{at}.diskMb", $"is {host.DiskMb}; a host has 1 to {MaxDiskMb} MiB"));
        }

        if (host.Driver is null || !Drivers.Contains(host.Driver))
        {
            problems.Add(new Problem($"{at}.driver", $"must be one of {string.Join(", ", Drivers)}"));
        }

        if (host.Roles is not { Count: > 0 } roles)
        {
            problems.Add(new Problem($"{at}.roles", $"must list at least one of {string.Join(", ", Roles)}"));
        }
        else
        {
            for (var r = 0; r < roles.Count; r++)
            {
                if (roles[r] is null || !Roles.Contains(roles[r]))
                {
                    problems.Add(new Problem($"{at}.roles[{r}]", $"must be one of {string.Join(", ", Roles)}"));
                }
            }
        }

        if (host.Address is null || !IPAddress.TryParse(host.Address, out _))
        {
            problems.Add(new Problem($"{at}.address", "must be the host's IP address on the site's network"));
        }

        if (host.WanAddress is { } wan && !IPAddress.TryParse(wan, out _))
        {
            problems.Add(new Problem($"{at}.wanAddress", "must be an IP address when given"));
        }

        var wans = host.WanAddresses ?? [];
        for (var w = 0; w < wans.Count; w++)
        {
            if (!IPAddress.TryParse(wans[w], out _))
            {
                problems.Add(new Problem($"{at}.wanAddresses[{w}]", "must be an IP address"));
            }
        }

        if (wans.Distinct(StringComparer.Ordinal).Count() != wans.Count)
        {
            problems.Add(new Problem($"{at}.wanAddresses", "lists an address twice: each WAN path has its own"));
        }

        if (wans.Count > MaxWanPaths)
        {
            problems.Add(new Problem($"{at}.wanAddresses", $"lists {wans.Count} addresses; a host has at most {MaxWanPaths} WAN paths"));
        }

        if (wans.Count > 0 && host.WanAddress is { } first && first != wans[0])
        {
            problems.Add(new Problem($"{at}.wanAddress", "must be the first of wanAddresses when both are given"));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();
}
