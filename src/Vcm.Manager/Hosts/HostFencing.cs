using Microsoft.Extensions.Logging;
using Vcm.Domain.Common;
using Vcm.Manager.Configuration;
using Vcm.Store.Audit;
using Vcm.Store.Records;

namespace Vcm.Manager.Hosts;

/// <summary>
/// Fences one of the site's hosts before its nodes are recovered elsewhere (issue 13, item 4): runs the site's fence
/// (<see cref="IHostFence"/>) and records what it came to in the audit trail (action "fence", resource
/// /hosts/NAME, 200 fenced or 409 not fenced, the fence's words) and the log. Recovery proceeds only on
/// <see cref="FenceResult.Fenced"/>.
/// </summary>
public sealed partial class HostFencing(IHostFence fence, LocalSite site, AuditStore audit, TimeProvider clock, ILogger<HostFencing> logger)
{
    public async Task<FenceResult> FenceAsync(HostRecord host, string actor, CancellationToken cancellationToken)
    {
        var result = await fence.FenceAsync(new FenceTarget(host.Name, host.Address, site.Name), cancellationToken);
        if (result.Fenced)
        {
            LogFenced(logger, host.Name, result.Detail);
        }
        else
        {
            LogNotFenced(logger, host.Name, result.Detail);
        }

        await audit.AppendAsync(new AuditRecord
        {
            Id = Ids.New(),
            AtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Actor = actor,
            ActorKind = "controller",
            Action = "fence",
            Resource = $"/hosts/{host.Name}",
            Status = result.Fenced ? 200 : 409,
            Detail = result.Detail,
        }, cancellationToken);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host} fenced: {Detail}")]
    private static partial void LogFenced(ILogger logger, string host, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "host {Host} not fenced, its nodes are not recovered: {Detail}")]
    private static partial void LogNotFenced(ILogger logger, string host, string detail);
}
