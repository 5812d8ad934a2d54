using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>Human output for clusters.</summary>
public static class ClusterPrinter
{
    public static void Summary(ClusterView c)
    {
        var spec = c.Spec;
        Console.Out.WriteLine($"cluster   {c.Name} ({c.Id})");
        Console.Out.WriteLine($"phase     {c.Phase}{(c.Reason is { } r ? $" — {r}" : "")}");
        Console.Out.WriteLine($"nodes     {c.NodesReady}/{c.NodesTotal} up: {(spec.Head ? "head + " : "")}{spec.Workers} workers, {spec.Cpus} cpus, {spec.Memory} memory, {spec.Disk} disk each");
        Console.Out.WriteLine($"window    {c.Start:u} → {c.End:u}");
        Console.Out.WriteLine($"network   {c.Subnet}{(c.Vni is { } v ? $", VNI {v}" : "")}; site {c.Site}");
        foreach (var part in c.Parts)
        {
            Console.Out.WriteLine($"part      site {part.Site}: {part.Nodes} nodes, {part.Phase ?? part.State}{(part.Reason is { } why ? $" — {why}" : "")}");
        }

        Console.Out.WriteLine($"image     {spec.Image}{(spec.Packages.Count > 0 ? $" + {string.Join(",", spec.Packages)}" : "")}{(spec.Shared is { } s ? $"; shared volume {s}" : "")}");
    }

    public static void Nodes(IReadOnlyList<NodeView> nodes) =>
        Table.Write(["node", "role", "host", "site", "ip", "state"], nodes.Select(n => new[] { n.Name, n.Role, n.Host, n.Site, n.Ip, n.State }));
}
