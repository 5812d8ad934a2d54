using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tenants;

/// <summary>vcm tenant create NAME [--quota nodes=64,vcpus=256,memory=512G,shared=1T,node-hours=10000]</summary>
public static class TenantCreateCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The tenant's name (lower-case letters, digits, '-', '.', '_')." };
        var quota = new Option<string?>("--quota") { Description = "Limits: nodes=64,vcpus=256,memory=512G,shared=1T,node-hours=10000 (any of them; the rest unlimited)." };
        var command = new Command("create", "Make a tenant (provider).") { name, quota };
        command.SetAction(async (cli, ct) =>
            TenantPrinter.Print(cli, await cli.Client().CreateTenantAsync(new TenantCreateRequest(cli.Get(name), cli.Get(quota)), ct)));
        return command;
    }
}
