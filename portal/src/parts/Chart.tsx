/** A small line chart (SVG, no library) of recent samples, with its latest value as text. */
export function Chart({ label, values, max, unit }: { label: string; values: number[]; max: number; unit: (v: number) => string }) {
  const w = 160, h = 40;
  const top = Math.max(max, ...values, 1);
  const points = values.map((v, i) => `${(i / Math.max(values.length - 1, 1)) * w},${h - (v / top) * h}`).join(" ");
  const last = values.length > 0 ? unit(values[values.length - 1]) : "no samples yet";
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={`${label}: ${last}`}>
        <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
      </svg>
      <figcaption>{label}: {last}</figcaption>
    </figure>
  );
}
