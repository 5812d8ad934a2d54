import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, get, whenUnauthorized } from "./api";
import { follow, navigate, usePath } from "./router";
import type { WhoAmI } from "./types";
import { SignIn } from "./pages/SignIn";
import { Landing } from "./pages/Landing";
import { Reserve } from "./pages/Reserve";
import { ClusterPage } from "./pages/ClusterPage";
import { ProviderPage, providerTabs } from "./pages/ProviderPage";
import "./style.css";

function Nav({ me, path, onSignOut }: { me: WhoAmI; path: string; onSignOut: () => void }) {
  const link = (href: string, label: string) => (
    <li><a href={href} onClick={follow} aria-current={path === href ? "page" : undefined}>{label}</a></li>
  );
  return (
    <header class="top">
      <a class="brand" href="/" onClick={follow}>vcm</a>
      <nav aria-label="Main">
        <ul>
          {link("/", "Clusters")}
          {me.role !== "reader" && link("/reserve", "Reserve")}
          {(me.role === "provider" || me.role === "tenant-admin") &&
            providerTabs(me.role).map(t => link(`/site/${t.id}`, t.label))}
        </ul>
      </nav>
      <div class="who">
        <span>{me.user}{me.tenant ? ` · ${me.tenant}` : ""} · {me.role}</span>
        <button type="button" onClick={onSignOut}>Sign out</button>
      </div>
    </header>
  );
}

function Page({ me, path }: { me: WhoAmI; path: string }) {
  if (path === "/" || path === "") return <Landing me={me} />;
  if (path === "/reserve") return <Reserve me={me} />;
  const cluster = /^\/clusters\/([^/]+)$/.exec(path);
  if (cluster) return <ClusterPage me={me} name={decodeURIComponent(cluster[1])} />;
  const site = /^\/site\/([a-z]+)$/.exec(path);
  if (site) return <ProviderPage me={me} tab={site[1]} />;
  return <section><h1>Not found</h1><p>There is no page at this address.</p></section>;
}

function App() {
  const path = usePath();
  const [me, setMe] = useState<WhoAmI | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);

  const load = () => get<WhoAmI>("/api/v1/whoami").then(setMe).catch(e => {
    if (e instanceof ApiError && e.status === 401) setMe(null);
    else setFailure(e instanceof Error ? e.message : String(e));
  });
  useEffect(() => { whenUnauthorized(() => setMe(null)); load(); }, []);

  const signOut = async () => {
    const answer = await api<{ logout?: string | null }>("DELETE", "/api/v1/session").catch(() => null);
    setMe(null);
    if (answer?.logout) location.assign(answer.logout);
    else navigate("/");
  };

  if (failure) return <main id="main"><p role="alert">The manager did not answer: {failure}</p></main>;
  if (me === undefined) return <main id="main" aria-busy="true"><p>Loading…</p></main>;
  if (me === null) return <main id="main"><SignIn onSignedIn={load} /></main>;
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <Nav me={me} path={path} onSignOut={signOut} />
      <main id="main" tabIndex={-1}><Page me={me} path={path} /></main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
