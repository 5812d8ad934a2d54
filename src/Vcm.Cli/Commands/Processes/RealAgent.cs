using System.Globalization;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Packages;
using Vcm.Cli.Infrastructure;
using Vcm.Drivers.Hosts;

namespace Vcm.Cli.Commands.Processes;

/// <summary>The facts and drivers of this machine (or the namespace the agent runs in) as a real host.</summary>
internal static class RealAgent
{
    public static LinuxHost Create(
        CliServices services, string name, string address, IReadOnlyList<string> wanAddresses, IReadOnlyList<string> roles, string data, string imageStore, int underlayMtu,
        int? cpus, long? memoryMb, long? diskMb, string agentKey, HttpClient http, ILoggerFactory? logging)
    {
        Directory.CreateDirectory(data);
        var context = new LinuxHostContext
        {
            HostName = name,
            DataDirectory = data,
            UnderlayAddress = address,
            UnderlayMtu = underlayMtu,
            VcmExecutable = Environment.ProcessPath!,
            ImageStore = imageStore,
            AgentKey = agentKey,
            Http = http,
            PackageSource = Uri.TryCreate(imageStore, UriKind.Absolute, out var store) && store.Scheme is "http" or "https"
                ? new HttpPackageSource(http, imageStore, agentKey)
                : null,
            Runner = services.Runner,
            Clock = services.Clock,
        };
        var facts = new HostFacts
        {
            Name = name,
            Cpus = cpus ?? Environment.ProcessorCount,
            MemoryMb = memoryMb ?? MemTotalMb(),
            DiskMb = diskMb ?? new DriveInfo(Path.GetFullPath(data)).AvailableFreeSpace / (1024 * 1024),
            Roles = roles,
            Address = address,
            WanAddress = wanAddresses.FirstOrDefault(),
            WanAddresses = wanAddresses.Count > 1 ? wanAddresses : [],
            Driver = "linux",
        };
        return new LinuxHost(context, facts, logging);
    }

    private static long MemTotalMb()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
