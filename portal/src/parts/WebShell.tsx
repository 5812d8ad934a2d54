import { useEffect, useRef, useState } from "preact/hooks";
import "@xterm/xterm/css/xterm.css";

/**
 * A terminal on a node: xterm.js over the …/shell WebSocket (binary frames are the terminal's bytes both ways; a
 * text frame {"resize":{cols,rows}} resizes). xterm.js is loaded only when a shell is opened.
 */
export function WebShell({ path, node, onClose }: { path: string; node: string; onClose: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState("connecting…");

  useEffect(() => {
    let socket: WebSocket | null = null;
    let disposed = false;
    let dispose = () => {};
    (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !host.current) return;
      const term = new Terminal({ cursorBlink: true, fontSize: 14, convertEol: false, screenReaderMode: true });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(host.current);
      fit.fit();
      const url = new URL(`${path}?cols=${term.cols}&rows=${term.rows}`, location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(url);
      socket.binaryType = "arraybuffer";
      const encoder = new TextEncoder();
      socket.onopen = () => { setStatus("connected"); term.focus(); };
      socket.onmessage = e => term.write(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer));
      socket.onclose = e => setStatus(`closed${e.reason ? `: ${e.reason}` : ""} (${e.code})`);
      const input = term.onData(d => socket?.readyState === WebSocket.OPEN && socket.send(encoder.encode(d)));
      const resize = term.onResize(({ cols, rows }) => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ resize: { cols, rows } })));
      const onWindow = () => fit.fit();
      window.addEventListener("resize", onWindow);
      dispose = () => { window.removeEventListener("resize", onWindow); input.dispose(); resize.dispose(); socket?.close(); term.dispose(); };
    })().catch(e => setStatus(`failed: ${e}`));
    return () => { disposed = true; dispose(); };
  }, [path]);

  return (
    <section aria-labelledby="shell-title" class="shell">
      <h2 id="shell-title">Shell on {node} <small role="status">{status}</small></h2>
      <div ref={host} class="terminal" />
      <button type="button" onClick={onClose}>Close the shell</button>
    </section>
  );
}
