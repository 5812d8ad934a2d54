import { ApiError } from "../api";

/** An error as one alert: the problem's detail and each field problem. */
export function Problems({ error }: { error: unknown }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) return <p class="error" role="alert">{String(error)}</p>;
  const p = error.problem;
  return (
    <div class="error" role="alert">
      <p>{p.detail ?? p.title}</p>
      {p.errors && p.errors.length > 0 && <ul>{p.errors.map(e => <li key={e.field + e.message}><code>{e.field}</code> {e.message}</li>)}</ul>}
    </div>
  );
}
