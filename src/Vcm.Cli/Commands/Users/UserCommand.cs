using System.CommandLine;

namespace Vcm.Cli.Commands.Users;

/// <summary>vcm user: a tenant's users and their roles.</summary>
public static class UserCommand
{
    public static Command Create() => new("user", "Users: each in a tenant with a role (reader, member, tenant-admin), or a provider of the site.")
    {
        UserAddCommand.Create(),
        UserListCommand.Create(),
        UserShowCommand.Create(),
        UserSetRoleCommand.Create(),
        UserPasswdCommand.Create(),
        UserRemoveCommand.Create(),
    };
}
