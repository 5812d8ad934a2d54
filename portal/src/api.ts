// The portal's one way to the manager: /api/v1 with the session cookie (sent by the browser), the CSRF header on
// every unsafe method, and RFC 9457 problems turned into ApiError. No second path into the data.

export interface FieldProblem { field: string; message: string }

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldProblem[];
  earliestStart?: string;
  latestEnd?: string;
  largestWorkers?: number;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

/** The value of the vcm_csrf cookie, which unsafe requests repeat in X-Vcm-Csrf. */
export function csrfToken(): string {
  const match = document.cookie.split(";").map(c => c.trim()).find(c => c.startsWith("vcm_csrf="));
  return match ? decodeURIComponent(match.substring("vcm_csrf=".length)) : "";
}

/** Unauthenticated answers call this (the app shows the sign-in page). */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void { onUnauthorized = handler; }

export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD") headers["X-Vcm-Csrf"] = csrfToken();
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  const text = await response.text();
  const data = text.length > 0 && (response.headers.get("Content-Type") ?? "").includes("json") ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && path !== "/api/v1/session") onUnauthorized();
    throw new ApiError(response.status, (data ?? { title: response.statusText }) as Problem);
  }
  return data as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>("GET", path, undefined, signal);

/** A Server-Sent Events stream: calls onEvent(type, data) for each event; close() ends it. The browser reconnects. */
export function watch(path: string, onEvent: (type: string, data: unknown) => void, onState?: (open: boolean) => void): () => void {
  const source = new EventSource(path, { withCredentials: true });
  for (const type of ["cluster", "event", "gone"]) {
    source.addEventListener(type, e => onEvent(type, JSON.parse((e as MessageEvent<string>).data)));
  }
  source.onopen = () => onState?.(true);
  source.onerror = () => onState?.(false);
  return () => source.close();
}

/** The problems of one field, for showing next to it. */
export function problemsOf(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  const name = field.toLowerCase();
  return (error.problem.errors ?? [])
    .filter(p => { const f = p.field.toLowerCase(); return f === name || f.startsWith(name + "[") || f.startsWith(name + "."); })
    .map(p => (p.field.toLowerCase() === name ? p.message : `${p.field}: ${p.message}`));
}
