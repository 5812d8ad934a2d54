// How the portal writes times, sizes and durations.

export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toISOString().replace("T", " ").substring(0, 16) + " UTC";
}

export function day(iso: string): string {
  return new Date(iso).toISOString().substring(5, 10);
}

export function seconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A size like 512M, 4G or 1T in mebibytes (the API's syntax). */
export function mebibytes(size: string | null | undefined): number {
  if (!size) return 0;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)/i.exec(size.trim());
  if (!m) return 0;
  const scale: Record<string, number> = { "": 1 / (1024 * 1024), K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 };
  return parseFloat(m[1]) * scale[m[2].toUpperCase()];
}

/** A local datetime-input value (YYYY-MM-DDTHH:MM, read as UTC) from an ISO time. */
export function inputTime(iso: string): string {
  return new Date(iso).toISOString().substring(0, 16);
}
