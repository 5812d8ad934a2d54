import { useState } from "preact/hooks";
import { ApiError, api } from "../api";
import { navigate } from "../router";
import { when } from "../format";
import type { ClusterView } from "../types";
import { Problems } from "./Problems";

/** Extend, resize and delete a cluster; a refusal shows the latest end or the largest worker count that fits. */
export function ClusterActions({ cluster, path, onChanged }: { cluster: ClusterView; path: string; onChanged: (c: ClusterView) => void }) {
  const [by, setBy] = useState("1h");
  const [workers, setWorkers] = useState(String(cluster.spec.workers));
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try { await action(); } catch (e) { setError(e); }
  };
  const hint = error instanceof ApiError
    ? error.problem.latestEnd ? `The latest end that fits: ${when(error.problem.latestEnd)}.`
      : error.problem.largestWorkers != null ? `The most workers that fit: ${error.problem.largestWorkers}.` : null
    : null;

  return (
    <section aria-labelledby="actions-title" class="actions">
      <h2 id="actions-title">Change</h2>
      <form class="row" onSubmit={e => { e.preventDefault(); run(async () => onChanged(await api<ClusterView>("POST", `${path}/extend`, { by }))); }}>
        <label for="extend-by">Extend by</label>
        <input id="extend-by" value={by} onInput={e => setBy((e.target as HTMLInputElement).value)} size={6} />
        <button type="submit">Extend</button>
      </form>
      <form class="row" onSubmit={e => { e.preventDefault(); run(async () => onChanged(await api<ClusterView>("POST", `${path}/resize`, { workers: Number(workers) }))); }}>
        <label for="resize-workers">Workers</label>
        <input id="resize-workers" type="number" min={0} value={workers} onInput={e => setWorkers((e.target as HTMLInputElement).value)} size={4} />
        <button type="submit">Resize</button>
      </form>
      <div class="row">
        {!confirming
          ? <button type="button" class="danger" onClick={() => setConfirming(true)}>Delete…</button>
          : <>
              <span>Delete {cluster.name} and release its nodes?</span>
              <button type="button" class="danger" onClick={() => run(async () => { await api("DELETE", path); navigate("/"); })}>Delete</button>
              <button type="button" onClick={() => setConfirming(false)}>Keep it</button>
            </>}
      </div>
      <Problems error={error} />
      {hint && <p>{hint}</p>}
    </section>
  );
}
