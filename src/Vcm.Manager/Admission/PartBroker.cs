using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Federation;
using Vcm.Manager.Configuration;
using Vcm.Manager.Peers;
using Vcm.Store.Clusters;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

/// <summary>
/// Admits clusters that may span sites. The home admits its own nodes first (one transaction), then asks each peer
/// to admit its part; if any peer refuses or does not answer, the parts already admitted are withdrawn and the
/// home's rows deleted, so nothing stays reserved anywhere, and the answer names the site and its reason. Without
/// counts, a cluster that does not fit here spills to peers: as many nodes as fit stay here, the rest go to the
/// first peer that takes them.
/// </summary>
public sealed class PartBroker(
    ClusterAdmission admission, PeerStore peers, PartStore parts, ClusterStore clusters, HostStore hosts,
    FederationClient client, LocalSite site, TimeProvider clock)
{
    /// <summary>
    /// Admits a create request. <paramref name="requestHash"/> (of the canonical request, <see cref="RequestHash"/>)
    /// is kept with <paramref name="idempotencyKey"/>: the key again with the same request gets the first cluster,
    /// with another request <see cref="AdmissionOutcome.KeyReused"/>.
    /// </summary>
    public async Task<AdmissionOutcome> AdmitAsync(
        ClusterSpecInput input, IReadOnlyList<Problem> readProblems, string? idempotencyKey, string? requestHash, CancellationToken cancellationToken, ClusterOwner? owner = null)
    {
        if (idempotencyKey is not null && await clusters.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
        {
            return AdmissionOutcome.Replay(earlier, idempotencyKey, requestHash);
        }

        var (spec, plan, problems, latestStart) = await admission.ParseAsync(input, readProblems, cancellationToken);
        var taken = input.Name is { } name && !problems.Any(p => p.Field == "name") && await clusters.NameIsLiveAsync(name, cancellationToken);
        if (spec is null)
        {
            return new AdmissionOutcome.Invalid(taken ? [.. problems, ClusterAdmission.NameTaken(input.Name!)] : problems);
        }

        if (taken)
        {
            return new AdmissionOutcome.NameTaken(spec.Name);
        }

        AdmissionRequest Request(Func<CalendarCache.Snapshot, Split> split) =>
            new() { Spec = spec, Split = split, IdempotencyKey = idempotencyKey, IdempotencyHash = requestHash, Plan = plan, Owner = owner, LatestStart = latestStart };
        if (latestStart is not null)
        {
            // A flexible start is for clusters of this site only: no peer is asked, nothing spills.
            return await admission.AdmitAsync(Request(_ => Split.AllHere(spec.NodeNames())), cancellationToken);
        }

        if (spec.Sites.Count > 0 && spec.Sites.All(s => s.Count is not null))
        {
            var split = Split.Fixed(spec, site.Name);
            var outcome = await admission.AdmitAsync(Request(_ => split), cancellationToken);
            return outcome is AdmissionOutcome.Admitted { Replayed: false } admitted && split.Remote.Count > 0
                ? await CompleteAsync(admitted, cancellationToken)
                : outcome;
        }

        var local = await admission.AdmitAsync(Request(_ => Split.AllHere(spec.NodeNames())), cancellationToken);
        var candidates = spec.Sites.Count > 0
            ? spec.Sites.Select(s => s.Site).Where(s => s != site.Name).ToList()
            : (await peers.ListAsync(cancellationToken)).Select(p => p.Name).ToList();
        if (local is not AdmissionOutcome.NoCapacity here || candidates.Count == 0)
        {
            return local;
        }

        var refusals = new List<string> { $"site {site.Name}: {here.Reason}" };
        foreach (var peer in candidates)
        {
            var spilled = await admission.AdmitAsync(Request(snapshot => SitePlacement.Spill(spec, snapshot, peer, site.Name)), cancellationToken);
            switch (spilled)
            {
                case AdmissionOutcome.Admitted { Replayed: false } admitted:
                    var completed = await CompleteAsync(admitted, cancellationToken);
                    if (completed is AdmissionOutcome.Admitted)
                    {
                        return completed;
                    }

                    refusals.Add(completed is AdmissionOutcome.PeerFailed failed ? failed.Reason : "refused");
                    break;
                case AdmissionOutcome.NoCapacity:
                    // not even one node fits here
                    return new AdmissionOutcome.NoCapacity(string.Join("; ", refusals), here.EarliestStart);
                default:
                    return spilled;
            }
        }

        return new AdmissionOutcome.NoCapacity(string.Join("; ", refusals), null);
    }

    /// <summary>
    /// Whether a create would be admitted, with nothing stored: the same reading, validation (a taken name is one more
    /// problem), quota and placement as <see cref="AdmitAsync"/>, for this site's share — peers are not asked (their
    /// parts are admitted only by a real create), so a request that needs them is answered for the nodes here.
    /// </summary>
    public async Task<AdmissionOutcome> DryRunAsync(
        ClusterSpecInput input, IReadOnlyList<Problem> readProblems, ClusterOwner? owner, CancellationToken cancellationToken)
    {
        var (spec, plan, problems, latestStart) = await admission.ParseAsync(input, readProblems, cancellationToken);
        var taken = input.Name is { } name && !problems.Any(p => p.Field == "name") && await clusters.NameIsLiveAsync(name, cancellationToken);
        if (spec is null || taken)
        {
            return new AdmissionOutcome.Invalid(taken ? [.. problems, ClusterAdmission.NameTaken(input.Name!)] : problems);
        }

        var split = latestStart is null && spec.Sites.Count > 0 && spec.Sites.All(s => s.Count is not null)
            ? Split.Fixed(spec, site.Name)
            : Split.AllHere(spec.NodeNames());
        return await admission.AdmitAsync(
            new AdmissionRequest { Spec = spec, Split = _ => split, Plan = plan, Owner = owner, LatestStart = latestStart, DryRun = true }, cancellationToken);
    }

    /// <summary>Asks each peer to admit its part; withdraws everything if one does not.</summary>
    private async Task<AdmissionOutcome> CompleteAsync(AdmissionOutcome.Admitted admitted, CancellationToken cancellationToken)
    {
        var cluster = admitted.Cluster;
        var rows = await parts.ForClusterAsync(cluster.Id, cancellationToken);
        if (rows.Count == 0)
        {
            return admitted; // all of it fitted here after all
        }

        var nodes = await clusters.GetNodesAsync(cluster.Id, cancellationToken);
        var gateway = (await hosts.GetAsync([cluster.GatewayHostId!], cancellationToken))[cluster.GatewayHostId!];
        var serverAddress = gateway.WanAddress!;
        var serverAddresses = WanList.Several(gateway.WanAddresses);
        var asked = new List<ClusterPartRecord>();
        foreach (var part in rows)
        {
            try
            {
                asked.Add(part);
                var peer = await peers.FindAsync(part.Site, cancellationToken)
                    ?? throw new PeerCallException(part.Site, PeerFailure.Refused, $"site {part.Site} is not a peer of this site");
                var keys = PartVpnKeys.Deserialize(part.Vpn);
                var request = new PartRequest
                {
                    ClusterId = cluster.Id,
                    Spec = cluster.Spec,
                    Nodes = nodes.Where(n => n.Site == part.Site && n.HostId is null)
                        .Select(n => new PartNode(n.Name, n.Role, n.Idx, n.Mac, n.Ip, n.Token ?? "")).ToList(),
                    Vpn = new PartVpn(
                        serverAddress, part.VpnPort!.Value, keys.CaCertificate, keys.ClientCertificate, keys.ClientKey, keys.TlsCryptKey, cluster.Spec.WanRate?.Mbit,
                        serverAddresses),
                };
                var status = await client.PutPartAsync(peer, cluster.Id, request, cancellationToken);
                part.RemoteId = status.Id;
                part.GatewayWan = status.ClientAddress;
                part.GatewayWans = WanList.Join(status.ClientAddresses);
                part.PeerVpnPort = status.ClientPort;
                part.Phase = status.Phase;
                part.Reason = status.Reason;
                part.State = PartState.Admitted;
            }
            catch (PeerCallException e)
            {
                if (e.NotDelivered)
                {
                    asked.Remove(part); // it never heard of the part
                }

                var untold = await WithdrawAsync(cluster.Id, asked, CancellationToken.None);
                var reason = untold.Count == 0 ? e.Message
                    : $"{e.Message}; {string.Join(" and ", untold.Select(s => $"site {s}"))} could not be told to drop its part and will drop it when it is not renewed";
                return new AdmissionOutcome.PeerFailed(e.Site, e.Failure, reason) { AllWithdrawn = untold.Count == 0 };
            }
        }

        var saved = await parts.SaveAdmittedAsync(cluster.Id, rows, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        return new AdmissionOutcome.Admitted(saved, Replayed: false);
    }

    /// <summary>
    /// Withdraws a cluster whose parts were not all admitted: asks every peer to drop its part (whether or not it
    /// answered before), then deletes the cluster here. A peer that cannot be told drops the part itself when its
    /// lease runs out unrenewed.
    /// </summary>
    /// <returns>The peers that could not be told (a part they admitted is dropped there when not renewed).</returns>
    public async Task<IReadOnlyList<string>> WithdrawAsync(string clusterId, IReadOnlyList<ClusterPartRecord> rows, CancellationToken cancellationToken)
    {
        var untold = await TellPeersToDropAsync(clusterId, rows, cancellationToken);
        await parts.DeleteUnbuiltAsync(clusterId, cancellationToken);
        return untold;
    }

    /// <summary>Asks every peer of <paramref name="rows"/> to drop its part; the peers that could not be told.</summary>
    public async Task<IReadOnlyList<string>> TellPeersToDropAsync(string clusterId, IReadOnlyList<ClusterPartRecord> rows, CancellationToken cancellationToken)
    {
        var untold = new List<string>();
        foreach (var part in rows)
        {
            if (await peers.FindAsync(part.Site, cancellationToken) is not { } peer)
            {
                continue;
            }

            try
            {
                await client.DeletePartAsync(peer, clusterId, cancellationToken);
            }
            catch (PeerCallException e) when (e.Failure == PeerFailure.Unreachable)
            {
                untold.Add(part.Site);
            }
            catch (PeerCallException)
            {
                // it refused the call (e.g. our key): it admitted nothing for us either
            }
        }

        return untold;
    }
}
