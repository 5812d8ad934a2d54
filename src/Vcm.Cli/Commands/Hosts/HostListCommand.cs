using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>vcm host list</summary>
public static class HostListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "The site's hosts with their state and free capacity.");
        command.SetAction(async (cli, ct) =>
        {
            var hosts = await cli.Client().ListHostsAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(hosts);
                return ExitCodes.Ok;
            }

            Table.Write(
                ["host", "site", "state", "roles", "driver", "kvm", "cpus free", "memory free", "disk free", "drain"],
                hosts.Select(h => new[]
                {
                    h.Name, h.Site, h.State, string.Join(",", h.Roles), h.Driver, h.Kvm ? "yes" : "no",
                    $"{h.Free.Cpus}/{h.Capacity.Cpus}", $"{h.Free.Memory}/{h.Capacity.Memory}", $"{h.Free.Disk}/{h.Capacity.Disk}",
                    h.Drain is { } drain ? HostDrainCommand.Left(drain) + (drain.Fixed.Count > 0 ? $"; holds {string.Join(", ", drain.Fixed)}" : "") : "",
                }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
