using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Manager.Auth;
using Vcm.Manager.Hosts;
using Vcm.Manager.Http;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/hosts/{name}/declare-dead: a provider's word that a host is gone, so its nodes are rebuilt elsewhere.</summary>
public static class HostRecoveryEndpoints
{
    public static void MapHostRecovery(this RouteGroupBuilder api)
    {
        api.MapPost("/hosts/{name}/declare-dead", DeclareDeadAsync).WithName("declareHostDead").WithTags("hosts").Produces<HostRecoveryView>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Declares a host dead without fencing it (the provider only): it takes no work any more, and every node, gateway and shared volume of a cluster it held is rebuilt on other hosts with the same names, MACs, addresses and host keys. Refused (409) while its agent still reports.");
    }

    private static async Task<IResult> DeclareDeadAsync(string name, Caller caller, HostRecovery recovery, CancellationToken cancellationToken) =>
        await recovery.DeclareDeadAsync(name, caller.Name, cancellationToken) switch
        {
            DeclareOutcome.Declared declared => Results.Ok(new HostRecoveryView(declared.Report.Host, declared.Report.Rebuilt, declared.Report.Waiting)),
            DeclareOutcome.NotFound => Problems.NotFound($"A host named '{name}' at this site"),
            DeclareOutcome.Refused refused => Problems.Conflict(char.ToUpperInvariant(refused.Reason[0]) + refused.Reason[1..] + "."),
            _ => throw new InvalidOperationException("unknown outcome"),
        };
}
