using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Commands.Keys;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Users;

/// <summary>vcm user add NAME --tenant T --role R [--ssh-key FILE]</summary>
public static class UserAddCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The user's name (lower-case letters, digits, '-', '.', '_')." };
        var tenant = new Option<string?>("--tenant") { Description = "Its tenant (a tenant-admin's own by default; none for a provider)." };
        var role = new Option<string>("--role") { Description = "reader, member, tenant-admin, or provider (no tenant).", DefaultValueFactory = _ => "member" };
        var keys = new Option<string[]>("--ssh-key") { Description = "A file with SSH public keys (one a line) its clusters get; repeatable.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("add", "Add a user to a tenant with a role (a tenant-admin in its own tenant, the provider anywhere).") { name, tenant, role, keys };
        command.SetAction(async (cli, ct) =>
        {
            var lines = KeyFiles.Read(cli.Get(keys) ?? []);
            var user = await cli.Client().CreateUserAsync(new UserCreateRequest(cli.Get(name), cli.Get(tenant), cli.Get(role), lines), ct);
            return UserPrinter.Print(cli, user);
        });
        return command;
    }
}
