using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Users;

/// <summary>Users as tables.</summary>
internal static class UserPrinter
{
    public static void Write(IReadOnlyList<UserView> users) =>
        Table.Write(["user", "tenant", "role", "keys", "created"], users.Select(u => new[]
        {
            u.Name, u.Tenant, u.Role, u.Keys.ToString(System.Globalization.CultureInfo.InvariantCulture), u.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
        }));

    public static int Print(Invocation cli, UserView user)
    {
        if (cli.Json)
        {
            cli.WriteJson(user);
        }
        else
        {
            Write([user]);
        }

        return ExitCodes.Ok;
    }
}
