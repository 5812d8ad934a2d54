import { useEffect, useState } from "preact/hooks";
import { ApiError, api, get } from "../api";
import type { AuthOptions, Session } from "../types";

/** Sign in with a local password, or through the site's OpenID Connect provider when GET /api/v1/auth names one. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [options, setOptions] = useState<AuthOptions>({ password: true, oidc: null });
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => { get<AuthOptions>("/api/v1/auth").then(setOptions).catch(() => {}); }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api<Session>("POST", "/api/v1/session", { user, password, web: true });
      setPassword("");
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && (err.status === 401 || err.status === 400)
        ? "The user name or password is wrong."
        : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const oidcHref = options.oidc
    ? `${options.oidc.login}?return=${encodeURIComponent(location.pathname + location.search)}`
    : null;

  return (
    <section class="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to vcm</h1>
      {oidcHref && options.oidc && (
        <p><a class="button primary" href={oidcHref}>Sign in with {options.oidc.name}</a></p>
      )}
      {options.password && (
        <form onSubmit={submit} aria-describedby={error ? "signin-error" : undefined}>
          <label for="signin-user">User name</label>
          <input id="signin-user" name="user" autoComplete="username" required value={user}
            onInput={e => setUser((e.target as HTMLInputElement).value)} />
          <label for="signin-password">Password</label>
          <input id="signin-password" name="password" type="password" autoComplete="current-password" required
            value={password} onInput={e => setPassword((e.target as HTMLInputElement).value)} />
          {error && <p id="signin-error" class="error" role="alert">{error}</p>}
          <button type="submit" class="primary" disabled={busy}>Sign in</button>
        </form>
      )}
    </section>
  );
}
