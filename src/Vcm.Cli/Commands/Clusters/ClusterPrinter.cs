using Vcm.Api;
using Vcm.Cli.Infrastructure;
using Vcm.Domain.Clusters;

namespace Vcm.Cli.Commands.Clusters;

/// <summary>Human output for clusters.</summary>
public static class ClusterPrinter
{
    public static void Summary(ClusterView c)
    {
        var spec = c.Spec;
        Console.Out.WriteLine($"cluster   {c.Name} ({c.Id})");
        Console.Out.WriteLine($"phase     {c.Phase}{(c.Reason is { } r ? $" — {r}" : "")}");
        foreach (var condition in c.Conditions)
        {
            // e.g. "failing   since 2026-12-05 10:00:03Z (4 attempts, last 10:00:41Z): StepFailed — a2: ensureVm …"
            Console.Out.WriteLine(
                $"{condition.Type.ToLowerInvariant(),-9} since {condition.Since:u} ({condition.Attempts} attempts, last {condition.LastSeen:HH:mm:ss}Z): {condition.Reason} — {condition.Message}");
        }

        Console.Out.WriteLine($"nodes     {c.NodesReady}/{c.NodesTotal} up: {(spec.Head ? "head + " : "")}{spec.Workers} workers, {spec.Cpus} cpus, {spec.Memory} memory, {spec.Disk} disk each");
        Console.Out.WriteLine($"window    {c.Start:u} → {c.End:u}");
        Console.Out.WriteLine($"network   {c.Subnet}{(c.Vni is { } v ? $", VNI {v}" : "")}; site {c.Site}"
            + (spec.Sites.Count > 0 ? $"; sites {string.Join(",", spec.Sites)}" : "") + (spec.WanRate is { } rate ? $"; VPN between sites limited to {rate}bit/s" : ""));
        foreach (var part in c.Parts)
        {
            Console.Out.WriteLine($"part      site {part.Site}: {part.Nodes} nodes, {part.Phase ?? part.State}{(part.Reason is { } why ? $" — {why}" : "")}");
        }

        Console.Out.WriteLine($"image     {spec.Image}{(spec.Packages.Count > 0 ? $" + {string.Join(",", spec.Packages)}" : "")}{(spec.Shared is { } s ? $"; shared volume {s}" : "")}{(spec.Role != ClusterRole.None ? $"; role {spec.Role.Text()}" : "")}{(spec.Files.Count > 0 ? $"; {spec.Files.Count} file(s) onto the head" : "")}");
        if (c.Estimate is { } estimate)
        {
            // e.g. "estimate  ≈ 85 s to Ready by BuildLayer: build layer debian-12.pk-… (62 packages; …) 42 s + …"
            Console.Out.WriteLine($"estimate  ≈ {estimate.Seconds:0} s to Ready by {estimate.Way}: {estimate.Why}");
        }

        Console.Out.WriteLine($"placement {spec.Policy.ToString().ToLowerInvariant()}; {spec.SshKeys.Count} SSH keys");
    }

    public static void Nodes(IReadOnlyList<NodeView> nodes) =>
        Table.Write(["node", "role", "host", "site", "ip", "state"], nodes.Select(n => new[] { n.Name, n.Role, n.Host, n.Site, n.Ip, n.State }));
}
