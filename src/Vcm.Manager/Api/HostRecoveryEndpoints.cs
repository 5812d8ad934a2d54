using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Manager.Auth;
using Vcm.Manager.Hosts;
using Vcm.Manager.Http;

namespace Vcm.Manager.Api;

/// <summary>
/// /api/v1/hosts/{name}/declare-dead: a provider's word that a host is gone, so its nodes are rebuilt elsewhere;
/// /api/v1/hosts/{name}/return: a dead host repaired, wiped and back in service.
/// </summary>
public static class HostRecoveryEndpoints
{
    public static void MapHostRecovery(this RouteGroupBuilder api)
    {
        api.MapPost("/hosts/{name}/declare-dead", DeclareDeadAsync).WithName("declareHostDead").WithTags("hosts").Produces<HostRecoveryView>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Declares a host dead without fencing it (the provider only): it takes no work any more, and every node, gateway and shared volume of a cluster it held is rebuilt on other hosts with the same names, MACs, addresses and host keys. Refused (409) while its agent still reports.");
        api.MapPost("/hosts/{name}/return", ReturnAsync).WithName("returnHost").WithTags("hosts").Produces<HostReturnView>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Returns a dead host to service (the provider only) once its agent reports again: everything vcm had left on it is removed, then it is ready and takes placements. Refused (409) for a host that is not dead, whose agent is silent, or that could not be wiped.");
    }

    private static async Task<IResult> ReturnAsync(string name, Caller caller, HostRecovery recovery, CancellationToken cancellationToken) =>
        await recovery.ReturnAsync(name, caller.Name, cancellationToken) switch
        {
            ReturnOutcome.Returned returned => Results.Ok(new HostReturnView(returned.Host, "ready", returned.Wiped)),
            ReturnOutcome.NotFound => Problems.NotFound($"A host named '{name}' at this site"),
            ReturnOutcome.Refused refused => Problems.Conflict(char.ToUpperInvariant(refused.Reason[0]) + refused.Reason[1..] + "."),
            _ => throw new InvalidOperationException("unknown outcome"),
        };

    private static async Task<IResult> DeclareDeadAsync(string name, Caller caller, HostRecovery recovery, CancellationToken cancellationToken) =>
        await recovery.DeclareDeadAsync(name, caller.Name, cancellationToken) switch
        {
            DeclareOutcome.Declared declared => Results.Ok(new HostRecoveryView(declared.Report.Host, declared.Report.Rebuilt, declared.Report.Waiting)),
            DeclareOutcome.NotFound => Problems.NotFound($"A host named '{name}' at this site"),
            DeclareOutcome.Refused refused => Problems.Conflict(char.ToUpperInvariant(refused.Reason[0]) + refused.Reason[1..] + "."),
            _ => throw new InvalidOperationException("unknown outcome"),
        };
}
