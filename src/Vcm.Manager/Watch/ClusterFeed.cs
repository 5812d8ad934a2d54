using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vcm.Api;
using Vcm.Manager.Api;
using Vcm.Manager.Auth;
using Vcm.Manager.Configuration;
using Vcm.Manager.Live;
using Vcm.Store.Clusters;
using Vcm.Store.Events;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Manager.Watch;

/// <summary>
/// The one change feed behind every watcher (<c>GET …/watch</c>). Writers in this manager signal what they changed
/// (<see cref="ChangeSignal"/>); this loop then reads, once for all watchers, the row versions of those clusters, and
/// only for a cluster some watcher has not seen at that version its view (and, for watchers of that cluster, its
/// latest events), and queues to each watcher what is new to it. Changes made by another manager sharing the
/// database are found by comparing every live cluster's version every <see cref="ControllerOptions.WatchRecheck"/>. Nothing is read while
/// nobody watches.
/// </summary>
public sealed partial class ClusterFeed(
    ChangeSignal signal,
    ClusterStore clusters,
    EventStore events,
    SiteStore sites,
    HostStore hosts,
    PartStore parts,
    IOptions<JsonOptions> json,
    ControllerOptions options,
    ILogger<ClusterFeed> logger) : BackgroundService
{
    /// <summary>How many of a cluster's latest events are compared with what its watchers were sent.</summary>
    private const int EventWindow = 100;

    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    /// <summary>Watchers connected now.</summary>
    public int Subscribers => _subscriptions.Count;

    /// <summary>Starts watching one cluster: its view now is the first message; its events so far count as sent.</summary>
    public async Task<Subscription> WatchClusterAsync(Caller caller, ClusterRecord cluster, CancellationToken cancellationToken)
    {
        var subscription = new Subscription(caller, cluster.Id);
        // the events first: every event counted as sent is older than the view sent
        subscription.Events.UnionWith((await events.ListAsync(cluster.Id, EventWindow, cancellationToken)).Select(e => e.Id));
        var current = await clusters.GetAsync(cluster.Id, cancellationToken) ?? cluster;
        var view = await ViewJsonAsync(current, cancellationToken);
        subscription.Sent[cluster.Id] = (current.Name, -1, view); // no version: the first scan reads it and its events again
        subscription.Send(new WatchMessage("cluster", view));
        _subscriptions[subscription] = 0;
        signal.Changed(cluster.Id);
        return subscription;
    }

    /// <summary>Starts watching every cluster the caller sees: the live ones now count as sent.</summary>
    public async Task<Subscription> WatchAllAsync(Caller caller, CancellationToken cancellationToken)
    {
        var subscription = new Subscription(caller, null);
        var siteNames = await SiteNamesAsync(cancellationToken);
        foreach (var cluster in await clusters.ListAsync(false, cancellationToken))
        {
            if (caller.Sees(cluster))
            {
                subscription.Sent[cluster.Id] = (cluster.Name, cluster.Version, ItemJson(cluster, siteNames));
            }
            else
            {
                subscription.Hidden.Add(cluster.Id);
            }
        }

        _subscriptions[subscription] = 0;
        signal.ChangedAll();
        return subscription;
    }

    public void Unsubscribe(Subscription subscription)
    {
        _subscriptions.TryRemove(subscription, out _);
        subscription.End();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var signalled = await signal.WaitAsync(options.WatchRecheck, stoppingToken);
                var changed = signal.Take();
                if (!_subscriptions.IsEmpty)
                {
                    await ScanAsync(signalled ? changed : null, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogScanFailed(logger, e);
            }
        }
    }

    /// <summary>Compares the clusters named (null: every live one, and every one a watcher knows) and sends what is new.</summary>
    private async Task ScanAsync(IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        var watchers = _subscriptions.Keys.ToList();
        var rows = (await clusters.VersionsAsync(ids, cancellationToken)).ToDictionary(r => r.Id, StringComparer.Ordinal);
        if (ids is null)
        {
            foreach (var watcher in watchers.Where(w => w.ClusterId is null))
            {
                watcher.Hidden.IntersectWith(rows.Keys); // released ones need no hiding any more
            }
        }

        var candidates = ids ?? rows.Keys.Concat(watchers.SelectMany(w => w.Sent.Keys)).Distinct(StringComparer.Ordinal).ToList();
        var work = candidates
            .Select(id => (Id: id, Row: rows.GetValueOrDefault(id), Watchers: watchers.Where(w => Wants(w, id, rows.GetValueOrDefault(id))).ToList()))
            .Where(w => w.Watchers.Count > 0)
            .ToList();
        if (work.Count == 0)
        {
            return;
        }

        // A cluster's events are read before its row: an event sent is never newer than the view sent before it.
        var readings = work.ToDictionary(w => w.Id, w => new ClusterReading(w.Row), StringComparer.Ordinal);
        foreach (var (id, _, _) in work.Where(w => w.Row is not null && w.Watchers.Any(x => x.ClusterId is not null)))
        {
            readings[id].Events = await events.ListAsync(id, EventWindow, cancellationToken);
        }

        var records = (await clusters.GetManyAsync(work.Where(w => w.Row is not null).Select(w => w.Id).ToList(), cancellationToken))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        var siteNames = await SiteNamesAsync(cancellationToken);
        foreach (var (id, _, interested) in work)
        {
            var changes = readings[id];
            changes.Record = records.GetValueOrDefault(id);
            foreach (var watcher in interested)
            {
                if (watcher.ClusterId is null)
                {
                    SendItem(watcher, id, changes, siteNames);
                }
                else
                {
                    await SendClusterAsync(watcher, changes, cancellationToken);
                }
            }
        }
    }

    /// <summary>Whether a watcher may have something new about the cluster: a version it was not sent, its end, or (watching all) a new cluster.</summary>
    private static bool Wants(Subscription watcher, string id, ClusterVersion? row)
    {
        if ((watcher.ClusterId is not null && watcher.ClusterId != id) || watcher.Hidden.Contains(id))
        {
            return false;
        }

        return watcher.Sent.TryGetValue(id, out var sent)
            ? row is null || !row.Live || row.Version != sent.Version
            : watcher.ClusterId is null && row is { Live: true };
    }

    private async Task SendClusterAsync(Subscription watcher, ClusterReading changes, CancellationToken cancellationToken)
    {
        if (changes.Record is { } record)
        {
            changes.View ??= await ViewJsonAsync(record, cancellationToken);
            var sent = watcher.Sent[record.Id];
            if (sent.Json != changes.View)
            {
                watcher.Send(new WatchMessage("cluster", changes.View));
            }

            watcher.Sent[record.Id] = (record.Name, changes.Version, changes.View);
            foreach (var e in changes.Events!.Where(e => !watcher.Events.Contains(e.Id)))
            {
                watcher.Send(new WatchMessage("event", Serialize(Views.Event(e))));
            }

            watcher.Events.Clear();
            watcher.Events.UnionWith(changes.Events!.Select(e => e.Id));
        }

        if (!changes.Live)
        {
            watcher.Send(new WatchMessage("gone", Serialize(new GoneView(watcher.Sent[watcher.ClusterId!].Name))));
            Unsubscribe(watcher);
        }
    }

    private void SendItem(Subscription watcher, string id, ClusterReading changes, IReadOnlyDictionary<string, string> siteNames)
    {
        if (changes.Record is not { } record || !changes.Live)
        {
            if (watcher.Sent.Remove(id, out var last))
            {
                watcher.Send(new WatchMessage("gone", Serialize(new GoneView(last.Name))));
            }

            return;
        }

        if (!watcher.Caller.Sees(record))
        {
            watcher.Hidden.Add(id);
            return;
        }

        changes.Item ??= ItemJson(record, siteNames);
        if (!watcher.Sent.TryGetValue(id, out var sent) || sent.Json != changes.Item)
        {
            watcher.Send(new WatchMessage("cluster", changes.Item));
        }

        watcher.Sent[id] = (record.Name, changes.Version, changes.Item);
    }

    private async Task<string> ViewJsonAsync(ClusterRecord cluster, CancellationToken cancellationToken) =>
        Serialize(await ClusterEndpoints.ViewAsync(cluster, true, clusters, sites, hosts, parts, cancellationToken));

    private string ItemJson(ClusterRecord cluster, IReadOnlyDictionary<string, string> siteNames) =>
        Serialize(Views.Cluster(cluster, siteNames.GetValueOrDefault(cluster.SiteId, "?"), null, null));

    private async Task<IReadOnlyDictionary<string, string>> SiteNamesAsync(CancellationToken cancellationToken) =>
        (await sites.ListAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);

    private string Serialize<T>(T value) => JsonSerializer.Serialize(value, json.Value.SerializerOptions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the watch feed could not read the clusters' changes; it tries again")]
    private static partial void LogScanFailed(ILogger logger, Exception error);
}
