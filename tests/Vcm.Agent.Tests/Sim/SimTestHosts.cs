using Vcm.Agent.Sim;
using Vcm.Drivers.Hosts;

namespace Vcm.Agent.Tests.Sim;

/// <summary>Simulated hosts for tests.</summary>
public static class SimTestHosts
{
    public static HostFacts Facts(string name = "sim-test") => new()
    {
        Name = name,
        Cpus = 8,
        MemoryMb = 16 * 1024,
        DiskMb = 100 * 1024,
        Roles = ["compute", "gateway", "storage"],
        Address = "127.1.0.2",
        Driver = "sim",
    };

    public static SimHost Create(SimOptions? options = null, string name = "sim-test") => new(Facts(name), options ?? new SimOptions());
}
