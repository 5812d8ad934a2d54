/** A cluster's phase and how many of its nodes are ready, as a labelled progress bar. */
export function Progress({ phase, ready, total }: { phase: string; ready: number; total: number }) {
  return (
    <span class="progress">
      <span class={`phase phase-${phase.toLowerCase()}`}>{phase}</span>
      <progress max={Math.max(total, 1)} value={ready} aria-label={`${ready} of ${total} nodes ready`} />
      <span class="count">{ready}/{total}</span>
    </span>
  );
}
