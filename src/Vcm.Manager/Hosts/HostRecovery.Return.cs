using Vcm.Domain.Common;
using Vcm.Domain.Hosts;
using Vcm.Drivers.Rpc;
using Vcm.Manager.Agents;
using Vcm.Store.Records;

namespace Vcm.Manager.Hosts;

public sealed partial class HostRecovery
{
    /// <summary>
    /// Brings a dead host back into service once it is repaired and its agent reports again: everything vcm had made
    /// on it is removed first (its clusters' pieces run elsewhere now), then it is ready and takes placements. Pieces
    /// that waited on it for room are built there by their clusters' reconcile.
    /// </summary>
    public async Task<ReturnOutcome> ReturnAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var host = (await hosts.ListAsync(site.Id, cancellationToken)).FirstOrDefault(h => h.Name == name);
        if (host is null)
        {
            return new ReturnOutcome.NotFound(name);
        }

        if (host.State != HostState.Dead)
        {
            return new ReturnOutcome.Refused($"host {name} is {Domain.Text.EnumText.Lower(host.State)}, not dead: only a dead host is returned to service");
        }

        var silentFor = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(host.HeartbeatMs);
        if (silentFor >= options.HostDownAfter)
        {
            return new ReturnOutcome.Refused($"host {name}'s agent has not reported for {silentFor.TotalSeconds:0} s: start it again first");
        }

        var agent = (await hosts.GetAgentsAsync([host.AgentId], cancellationToken)).GetValueOrDefault(host.AgentId);
        var routes = agent is null ? new Dictionary<string, AgentRoute>() : new Dictionary<string, AgentRoute> { [name] = new(agent.Id, agent.Url, agent.Key) };
        var wiped = await agents.ApplyAsync([new HostWork(name, [new WipeHostStep()])], routes, cancellationToken);
        var result = wiped.SelectMany(w => w.Results).FirstOrDefault();
        if (result is not { Succeeded: true })
        {
            return new ReturnOutcome.Refused($"host {name} could not be wiped: {result?.Error ?? "its agent did not answer"}");
        }

        try
        {
            await using var transaction = await admissions.BeginAsync(site.Id, cancellationToken);
            var tracked = await transaction.TrackedHostAsync(host.Id, cancellationToken);
            if (tracked is not { State: HostState.Dead })
            {
                return new ReturnOutcome.Refused($"host {name} changed meanwhile; ask again");
            }

            tracked.State = HostState.Ready;
            await transaction.SaveAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            cache.Clear();
        }

        _lastFence.TryRemove(host.Id, out _);
        await audit.AppendAsync(new AuditRecord
        {
            Id = Ids.New(),
            AtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Actor = actor,
            ActorKind = "user",
            Action = "return",
            Resource = $"/hosts/{name}",
            Status = 200,
            Detail = result.Outcome == StepOutcome.Deleted ? "wiped what vcm had left on it; ready" : "nothing of vcm was left on it; ready",
        }, cancellationToken);
        return new ReturnOutcome.Returned(name, result.Outcome == StepOutcome.Deleted);
    }
}
