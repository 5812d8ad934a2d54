import { useEffect, useState } from "preact/hooks";
import { get, watch } from "../api";
import { follow } from "../router";
import { bytes, mebibytes, when } from "../format";
import type { CapacityTimeline, ClusterView, EventView, TenantView, WhoAmI } from "../types";
import { Progress } from "../parts/Progress";
import { Calendar } from "../parts/Calendar";
import { Problems } from "../parts/Problems";

function QuotaUsage({ tenant }: { tenant: TenantView }) {
  const rows: [string, string | number, string | number | null | undefined][] = [
    ["Nodes", tenant.usage.nodes, tenant.quota.nodes],
    ["vCPUs", tenant.usage.vcpus, tenant.quota.vcpus],
    ["Memory", tenant.usage.memory, tenant.quota.memory],
    ["Shared volumes", tenant.usage.shared, tenant.quota.shared],
    ["Node-hours this month", tenant.usage.nodeHoursThisMonth, tenant.quota.nodeHours],
  ];
  return (
    <section aria-labelledby="quota-title">
      <h2 id="quota-title">Quota of {tenant.name}</h2>
      <table>
        <thead><tr><th scope="col">Resource</th><th scope="col">Held</th><th scope="col">Limit</th></tr></thead>
        <tbody>
          {rows.map(([name, held, limit]) => (
            <tr key={name}><th scope="row">{name}</th><td>{held}</td><td>{limit ?? "no limit"}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The landing page: the caller's clusters (live), its tenant's quota, the site's capacity, recent events. */
export function Landing({ me }: { me: WhoAmI }) {
  const [clusters, setClusters] = useState<Map<string, ClusterView>>(new Map());
  const [live, setLive] = useState(false);
  const [tenant, setTenant] = useState<TenantView | null>(null);
  const [capacity, setCapacity] = useState<CapacityTimeline | null>(null);
  const [events, setEvents] = useState<EventView[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    get<ClusterView[]>("/api/v1/clusters", abort.signal)
      .then(list => setClusters(new Map(list.map(c => [c.name, c]))))
      .catch(e => abort.signal.aborted || setError(e));
    if (me.tenant) get<TenantView>(`/api/v1/tenants/${encodeURIComponent(me.tenant)}`, abort.signal).then(setTenant).catch(() => {});
    const to = new Date(Date.now() + 28 * 86400_000).toISOString();
    get<CapacityTimeline>(`/api/v1/capacity?step=1d&to=${encodeURIComponent(to)}`, abort.signal).then(setCapacity).catch(() => {});
    get<EventView[]>("/api/v1/events?limit=15", abort.signal).then(setEvents).catch(() => {});
    const stop = watch("/api/v1/watch", (type, data) => {
      const item = data as ClusterView;
      setClusters(prev => {
        const next = new Map(prev);
        if (type === "gone") next.delete(item.name);
        else if (type === "cluster") next.set(item.name, item);
        return next;
      });
    }, setLive);
    return () => { abort.abort(); stop(); };
  }, [me.user]);

  const list = [...clusters.values()].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <h1>Clusters</h1>
      <Problems error={error} />
      <section aria-labelledby="clusters-title">
        <h2 id="clusters-title">Your clusters <span class="live" aria-live="polite">{live ? "live" : ""}</span></h2>
        {list.length === 0
          ? <p>No clusters yet. {me.role !== "reader" && <a href="/reserve" onClick={follow}>Reserve one</a>}</p>
          : (
            <table class="clusters">
              <thead><tr><th scope="col">Name</th><th scope="col">Phase</th><th scope="col">Window</th></tr></thead>
              <tbody>
                {list.map(c => (
                  <tr key={c.name} data-cluster={c.name}>
                    <td><a href={`/clusters/${encodeURIComponent(c.name)}`} onClick={follow}>{c.name}</a></td>
                    <td><Progress phase={c.phase} ready={c.nodesReady} total={c.nodesTotal} /></td>
                    <td class="window">{when(c.start)} – {when(c.end)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>
      <div class="columns">
        {tenant && <QuotaUsage tenant={tenant} />}
        <section aria-labelledby="capacity-title">
          <h2 id="capacity-title">Capacity at {capacity?.site ?? "the site"}</h2>
          {capacity && capacity.steps.length > 0 && (
            <>
              <p>Free now: {capacity.steps[0].cpus} vCPUs, {bytes(mebibytes(capacity.steps[0].memory) * 1048576)} memory, {bytes(mebibytes(capacity.steps[0].disk) * 1048576)} disk.</p>
              <Calendar steps={capacity.steps} label="Free vCPUs per day, the coming four weeks" />
            </>
          )}
        </section>
      </div>
      <section aria-labelledby="events-title">
        <h2 id="events-title">Recent events</h2>
        {events.length === 0 ? <p>No events.</p> : (
          <ul class="events">
            {events.map((e, i) => (
              <li key={i} class={`event-${e.type.toLowerCase()}`}>
                <time dateTime={e.at}>{when(e.at)}</time> {e.cluster && <strong>{e.cluster}</strong>} <em>{e.reason}</em> {e.message}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
