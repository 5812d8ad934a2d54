using System.CommandLine;

namespace Vcm.Cli.Commands.Tenants;

/// <summary>vcm tenant: who rents the site's clusters, and their quotas.</summary>
public static class TenantCommand
{
    public static Command Create() => new("tenant", "Tenants: a lab, a class, a company — they own clusters, their users belong to them, quotas bound them.")
    {
        TenantCreateCommand.Create(),
        TenantListCommand.Create(),
        TenantShowCommand.Create(),
        TenantSetQuotaCommand.Create(),
        TenantDeleteCommand.Create(),
    };
}
