using System.Globalization;
using System.Text;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The gateway's own nftables table (<c>ip vcm</c>) inside its namespace: the cluster's subnet masqueraded out of
/// the external side, each node's SSH port on the external address forwarded to the node's port 22, and nothing
/// else let in from outside (no routed access to the subnet, no DNS or metadata from outside). Replaced whole, in
/// one transaction, when it changes; no other table is ever touched.
/// </summary>
internal sealed class GatewayFirewall(HostShell shell)
{
    public const string Table = "vcm";

    /// <summary>The table for the spec, or null when the gateway has no external side (then it has no table).</summary>
    public static string? Ruleset(GatewaySpec spec, GatewayAddresses addresses)
    {
        if (addresses.ExternalAddress is null)
        {
            return null;
        }

        var ext = GatewayLayout.ExternalInnerLink;
        var text = new StringBuilder()
            .Append("table ip ").Append(Table).Append(" {\n")
            .Append("\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
        foreach (var node in spec.Nodes.Where(n => n.SshPort > 0).OrderBy(n => n.SshPort))
        {
            text.Append(CultureInfo.InvariantCulture, $"\t\tiifname \"{ext}\" ip daddr {addresses.ExternalAddress} tcp dport {node.SshPort} dnat to {node.Ip}:22\n");
        }

        text.Append("\t}\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        if (spec.Nat)
        {
            text.Append(CultureInfo.InvariantCulture, $"\t\toifname \"{ext}\" ip saddr {addresses.Subnet} masquerade\n");
        }

        return text
            .Append("\t}\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n")
            .Append("\t\tct state established,related accept\n")
            .Append(CultureInfo.InvariantCulture, $"\t\tiifname \"{ext}\" ct status dnat accept\n")
            .Append(CultureInfo.InvariantCulture, $"\t\tiifname \"{ext}\" drop\n")
            .Append("\t}\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n")
            .Append(CultureInfo.InvariantCulture, $"\t\tiifname \"{ext}\" ct state established,related accept\n")
            .Append(CultureInfo.InvariantCulture, $"\t\tiifname \"{ext}\" icmp type echo-request accept\n")
            .Append(CultureInfo.InvariantCulture, $"\t\tiifname \"{ext}\" drop\n")
            .Append("\t}\n}\n")
            .ToString();
    }

    /// <summary>Makes the namespace's vcm table the spec's (or removes it); true if it changed anything.</summary>
    public async Task<bool> EnsureAsync(GatewaySpec spec, GatewayLayout layout, GatewayAddresses addresses, CancellationToken cancellationToken)
    {
        var wanted = Ruleset(spec, addresses);
        var present = await HasTableAsync(spec.Name, cancellationToken);
        if (wanted is null)
        {
            File.Delete(layout.Firewall);
            if (!present)
            {
                return false;
            }

            await shell.ExecInAsync(spec.Name, "nft", ["delete", "table", "ip", Table], cancellationToken);
            return true;
        }

        if (present && FileText.ReadOrNull(layout.Firewall) == wanted)
        {
            return false;
        }

        // Declaring the table first makes the delete valid when it is absent; all three lines are one transaction.
        var script = $"table ip {Table}\ndelete table ip {Table}\n{wanted}";
        await shell.ExecInAsync(spec.Name, "nft", ["-f", "-"], script, cancellationToken);
        await FileText.WriteIfChangedAsync(layout.Firewall, wanted, cancellationToken);
        return true;
    }

    private async Task<bool> HasTableAsync(string netns, CancellationToken cancellationToken)
    {
        var output = (await shell.ExecInAsync(netns, "nft", ["list", "tables"], cancellationToken)).StandardOutput;
        return output.Split('\n').Any(line => line.Trim() == $"table ip {Table}");
    }
}
