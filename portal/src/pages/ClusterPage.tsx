import { useEffect, useState } from "preact/hooks";
import { ApiError, get, watch } from "../api";
import { seconds, when } from "../format";
import type { ClusterView, EventView, WhoAmI } from "../types";
import { Progress } from "../parts/Progress";
import { Problems } from "../parts/Problems";
import { NodeUsage } from "../parts/NodeUsage";
import { ClusterActions } from "../parts/ClusterActions";
import { ConsoleTail } from "../parts/ConsoleTail";
import { WebShell } from "../parts/WebShell";

/** How long the build took (or has taken so far): from the later of start and creation to the first Ready event. */
function actualSeconds(cluster: ClusterView, events: EventView[]): number {
  const from = Math.max(Date.parse(cluster.start), Date.parse(cluster.createdAt));
  const ready = events.find(e => /ready/i.test(e.reason) && Date.parse(e.at) >= from);
  return Math.max(0, ((ready ? Date.parse(ready.at) : Date.now()) - from) / 1000);
}

/** An SSH key as its type and comment (the comment is the user's text, shown as text). */
function keyLabel(key: string): string {
  const [type, blob, ...comment] = key.split(/\s+/);
  return `${type} …${(blob ?? "").slice(-8)} ${comment.join(" ")}`.trim();
}

/** A cluster: phase and progress live (…/watch), the estimate against the build's time, nodes, events, actions, shell. */
export function ClusterPage({ me, name }: { me: WhoAmI; name: string }) {
  const [cluster, setCluster] = useState<ClusterView | null>(null);
  const [events, setEvents] = useState<EventView[]>([]);
  const [gone, setGone] = useState(false);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [shellNode, setShellNode] = useState<string | null>(null);
  const path = `/api/v1/clusters/${encodeURIComponent(name)}`;

  useEffect(() => {
    const abort = new AbortController();
    setCluster(null); setEvents([]); setGone(false); setMissing(false); setError(null);
    get<ClusterView>(path, abort.signal).then(setCluster).catch(e => {
      if (abort.signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) setMissing(true); else setError(e);
    });
    get<EventView[]>(`${path}/events`, abort.signal).then(setEvents).catch(() => {});
    const stop = watch(`${path}/watch`, (type, data) => {
      if (type === "cluster") setCluster(data as ClusterView);
      else if (type === "event") setEvents(prev => [...prev, data as EventView]);
      else if (type === "gone") setGone(true);
    });
    return () => { abort.abort(); stop(); };
  }, [path]);

  if (missing) {
    return <section><h1>Cluster not found</h1><p>There is no cluster named <code>{name}</code> that you may see.</p></section>;
  }
  if (error) return <Problems error={error} />;
  if (!cluster) return <p aria-busy="true">Loading {name}…</p>;

  const nodes = cluster.nodes ?? [];
  const manages = me.role !== "reader";
  return (
    <>
      <h1>Cluster <span class="name">{cluster.name}</span></h1>
      {gone && <p class="error" role="status">This cluster was deleted and its resources released.</p>}
      <section aria-labelledby="state-title" class="state">
        <h2 id="state-title" class="visually-hidden">State</h2>
        <p aria-live="polite"><Progress phase={cluster.phase} ready={cluster.nodesReady} total={cluster.nodesTotal} />
          {cluster.reason && <span class="reason"> {cluster.reason}</span>}</p>
        <dl class="facts">
          <dt>Window</dt><dd>{when(cluster.start)} – {when(cluster.end)}</dd>
          <dt>Site</dt><dd>{cluster.site}</dd>
          <dt>Subnet</dt><dd>{cluster.subnet}</dd>
          <dt>Shape</dt><dd>{cluster.spec.workers} workers{cluster.spec.head ? " + head" : ""}, {cluster.spec.cpus} vCPUs, {cluster.spec.memory} each; image {cluster.spec.image}</dd>
          <dt>Build time</dt>
          <dd>{cluster.estimate ? `estimated ${seconds(cluster.estimate.seconds)} (${cluster.estimate.way})` : "no estimate"}; actual {seconds(actualSeconds(cluster, events))}{cluster.phase !== "Ready" ? " so far" : ""}</dd>
          <dt>SSH keys</dt><dd>{cluster.spec.sshKeys.length === 0 ? "only the registered keys" : <ul class="keys">{cluster.spec.sshKeys.map(k => <li key={k}>{keyLabel(k)}</li>)}</ul>}</dd>
          <dt>SSH</dt><dd><code>vcm ssh {cluster.name}</code> (head) · <code>vcm ssh {cluster.name} node-01</code></dd>
        </dl>
        {(cluster.conditions ?? []).map(c => <p key={c.type} class="condition"><strong>{c.type}</strong> {c.reason} {c.message}</p>)}
      </section>
      {manages && !gone && <ClusterActions cluster={cluster} path={path} onChanged={setCluster} />}
      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Nodes</h2>
        <table class="nodes">
          <thead><tr><th scope="col">Node</th><th scope="col">Role</th><th scope="col">Site</th><th scope="col">Host</th><th scope="col">IP</th><th scope="col">State</th>{manages && <th scope="col">Shell</th>}</tr></thead>
          <tbody>
            {nodes.map(n => (
              <tr key={n.name} data-node={n.name}>
                <th scope="row">{n.name}</th><td>{n.role}</td><td>{n.site}</td><td>{n.host}</td><td>{n.ip ?? "—"}</td>
                <td>{n.state}{n.detail ? ` (${n.detail})` : ""}</td>
                {manages && <td><button type="button" onClick={() => setShellNode(n.name)} aria-label={`Open a shell on ${n.name}`}>Shell</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {shellNode && <WebShell path={`${path}/nodes/${encodeURIComponent(shellNode)}/shell`} node={shellNode} onClose={() => setShellNode(null)} />}
      <NodeUsage path={path} nodes={nodes.map(n => n.name)} version={cluster.nodesReady} />
      {manages && nodes.length > 0 && <ConsoleTail path={path} nodes={nodes.map(n => n.name)} />}
      <section aria-labelledby="events-title">
        <h2 id="events-title">Events</h2>
        <ul class="events">
          {events.map((e, i) => (
            <li key={i} class={`event-${e.type.toLowerCase()}`}><time dateTime={e.at}>{when(e.at)}</time> <em>{e.reason}</em> <span class="message">{e.message}</span></li>
          ))}
        </ul>
      </section>
    </>
  );
}
