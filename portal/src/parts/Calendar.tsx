import type { CapacityStep, FitWindows } from "../types";
import { day, when } from "../format";

export interface CalendarProps {
  steps: CapacityStep[];
  /** The runs of starts at which the request fits (GET /capacity/fit), if a request is asked. */
  fit?: FitWindows | null;
  /** How many nodes the request needs, to mark the steps with room for it. */
  need?: number;
  selected?: string | null;
  onPick?: (start: string) => void;
  label: string;
}

function fitsAt(fit: FitWindows | null | undefined, step: CapacityStep): string | null {
  if (!fit) return null;
  const from = Date.parse(step.start), to = Date.parse(step.end);
  for (const w of fit.windows) {
    const first = Date.parse(w.firstStart), last = Date.parse(w.lastStart);
    if (last >= from && first < to) return new Date(Math.max(first, from)).toISOString();
  }
  return null;
}

/**
 * A timeline of free capacity, one bar per step (hour, day or week): its height the free vCPUs (or nodes of the
 * asked shape), marked where the request fits. A step that fits is a button that picks its first start that fits.
 */
export function Calendar({ steps, fit, need, selected, onPick, label }: CalendarProps) {
  const counted = steps.some(s => s.nodes != null);
  const value = (s: CapacityStep) => counted ? Math.min(s.nodes ?? 0, s.quota?.nodesOfShape ?? Infinity) : s.cpus;
  const top = Math.max(1, ...steps.map(value), need ?? 0);
  const hourly = steps.length > 0 && Date.parse(steps[0].end) - Date.parse(steps[0].start) < 86400_000;
  return (
    <figure class="calendar">
      <figcaption>{label}</figcaption>
      <ol class="bars" aria-label={label} tabIndex={0}>
        {steps.map(s => {
          const v = value(s);
          const start = fitsAt(fit, s);
          const text = `${when(s.start)}: ${counted ? `${v} nodes of this shape` : `${s.cpus} vCPUs`} free, ${s.memory} memory${fit ? (start ? ", the request fits" : ", the request does not fit") : ""}`;
          const bar = <span class="bar" style={{ height: `${Math.round((v / top) * 100)}%` }} />;
          const cls = `${start ? "fits" : fit ? "nofit" : ""} ${selected && start && selected.substring(0, 13) === start.substring(0, 13) ? "selected" : ""}`;
          return (
            <li key={s.start} class={cls} title={text}>
              {start && onPick
                ? <button type="button" aria-label={`Reserve from ${when(start)}`} onClick={() => onPick(start)}>{bar}</button>
                : <span class="cell" role="img" aria-label={text}>{bar}</span>}
              <span class="tick" aria-hidden="true">{hourly ? when(s.start).substring(5, 13) + "h" : day(s.start)}</span>
            </li>
          );
        })}
      </ol>
      {need ? <p class="legend"><span class="swatch fits" /> the request fits <span class="swatch nofit" /> it does not</p> : null}
    </figure>
  );
}
