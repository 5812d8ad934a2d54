using Vcm.Agent.Sim;
using Vcm.Drivers.Hosts;

namespace Vcm.Agent.Hosting;

/// <summary>The hosts an agent serves, by name.</summary>
public sealed class AgentHosts
{
    public AgentHosts(IEnumerable<IHostDrivers> hosts)
    {
        ByName = hosts.ToDictionary(h => h.Facts.Name, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, IHostDrivers> ByName { get; }

    public IReadOnlyList<HostFacts> Facts => ByName.Values.Select(h => h.Facts).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

    /// <summary>N simulated hosts; the first (the first <see cref="SimOptions.GatewayHosts"/>) also have the gateway and storage roles.</summary>
    public static AgentHosts Simulated(int count, string prefix, SimOptions options)
    {
        if (options.StateDirectory is not null)
        {
            Directory.CreateDirectory(options.StateDirectory);
        }

        var width = Math.Max(3, count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var hosts = Enumerable.Range(1, count).Select(i => new SimHost(
            new HostFacts
            {
                Name = $"{prefix}-{i.ToString(new string('0', width), System.Globalization.CultureInfo.InvariantCulture)}",
                Cpus = options.Cpus,
                MemoryMb = options.MemoryMb,
                DiskMb = options.DiskMb,
                Roles = i <= options.GatewayHosts ? ["compute", "gateway", "storage"] : ["compute"],
                Address = $"127.1.{i / 250}.{i % 250 + 1}",
                Driver = "sim",
            },
            options));
        return new AgentHosts(hosts);
    }
}
