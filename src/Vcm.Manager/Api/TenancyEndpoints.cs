using Microsoft.AspNetCore.Routing;

namespace Vcm.Manager.Api;

/// <summary>The tenancy routes: tenants, users, one's SSH keys and API tokens, and whoami, and the audit trail.</summary>
public static class TenancyEndpoints
{
    public static void MapTenancy(this RouteGroupBuilder api)
    {
        api.MapTenants();
        api.MapUsers();
        api.MapKeys();
        api.MapTokens();
        api.MapSession();
        api.MapAudit();
    }
}
