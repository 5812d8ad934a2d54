import { useEffect, useState } from "preact/hooks";
import { get } from "../api";
import { bytes } from "../format";
import type { UsageSample } from "../types";
import { Chart } from "./Chart";

/** Small CPU and memory charts per node (…/nodes/{node}/usage), read again when the cluster changes. */
export function NodeUsage({ path, nodes, version }: { path: string; nodes: string[]; version: number }) {
  const [usage, setUsage] = useState<Record<string, UsageSample[]>>({});
  useEffect(() => {
    const abort = new AbortController();
    for (const node of nodes) {
      get<{ samples: UsageSample[] }>(`${path}/nodes/${encodeURIComponent(node)}/usage`, abort.signal)
        .then(u => setUsage(prev => ({ ...prev, [node]: u.samples })))
        .catch(() => {});
    }
    return () => abort.abort();
  }, [path, nodes.join(","), version]);
  const shown = nodes.filter(n => (usage[n] ?? []).length > 0);
  if (shown.length === 0) return null;
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">CPU and memory</h2>
      <div class="charts">
        {shown.map(node => {
          const samples = usage[node];
          return (
            <div key={node} class="node-usage">
              <h3>{node}</h3>
              <Chart label="CPU" values={samples.map(s => s.cpuPercent)} max={100} unit={v => `${v.toFixed(0)} %`} />
              <Chart label="Memory" values={samples.map(s => s.memoryBytes)} max={0} unit={bytes} />
            </div>
          );
        })}
      </div>
    </section>
  );
}
