import { useState } from "preact/hooks";

/** The tail of a node's serial console (…/nodes/{node}/console, plain text), shown as text. */
export function ConsoleTail({ path, nodes }: { path: string; nodes: string[] }) {
  const [node, setNode] = useState(nodes[0]);
  const [text, setText] = useState<string | null>(null);
  const load = async () => {
    const response = await fetch(`${path}/nodes/${encodeURIComponent(node)}/console`, { credentials: "same-origin" });
    setText(response.ok ? await response.text() : `The console could not be read (HTTP ${response.status}).`);
  };
  return (
    <section aria-labelledby="console-title">
      <h2 id="console-title">Console</h2>
      <div class="row">
        <label for="console-node">Node</label>
        <select id="console-node" value={node} onChange={e => setNode((e.target as HTMLSelectElement).value)}>
          {nodes.map(n => <option key={n} value={n}>{n}</option>)}
        </select>
        <button type="button" onClick={load}>Show the console's tail</button>
      </div>
      {text !== null && <pre class="console" tabIndex={0} aria-label={`Console of ${node}`}>{text}</pre>}
    </section>
  );
}
