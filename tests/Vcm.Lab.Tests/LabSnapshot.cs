using Xunit;

namespace Vcm.Lab.Tests;

/// <summary>What existed on every host of a lab, and which gateway namespaces, at one moment (as the machine shows it).</summary>
public sealed record LabSnapshot(IReadOnlyList<HostInventory> Hosts, IReadOnlyList<string> GatewayNamespaces)
{
    public string Describe() =>
        string.Join('\n', Hosts.Select(h => h.Describe()).Append($"gateway namespaces [{string.Join(", ", GatewayNamespaces)}]"));

    /// <summary>The VMs' folders on the hosts, as HOST:NAME.</summary>
    public IReadOnlyList<string> Vms() =>
        Hosts.SelectMany(h => h.Files.Where(f => Path.GetDirectoryName(f) == "vms").Select(f => $"{h.Host}:{Path.GetFileName(f)}")).ToList();

    /// <summary>How many processes of this name run on the hosts.</summary>
    public int Count(string process) => Hosts.Sum(h => h.Processes.Count(p => p == process));

    /// <summary>Fails, showing both, unless <paramref name="now"/> shows exactly what this snapshot showed.</summary>
    public void AssertSameAs(LabSnapshot now) =>
        Assert.True(Describe() == now.Describe(), $"before:\n{Describe()}\nnow:\n{now.Describe()}");
}
