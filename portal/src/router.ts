// History routing: the manager answers every portal path with index.html, so a cluster's URL can be shared.
import { useEffect, useState } from "preact/hooks";

const listeners = new Set<() => void>();

export function navigate(path: string): void {
  if (path !== location.pathname + location.search) history.pushState(null, "", path);
  listeners.forEach(l => l());
}

window.addEventListener("popstate", () => listeners.forEach(l => l()));

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const listener = () => setPath(location.pathname);
    listeners.add(listener);
    return () => { listeners.delete(listener); };
  }, []);
  return path;
}

/** A click on an in-portal link moves without reloading (a modified click still opens a new tab). */
export function follow(e: MouseEvent): void {
  const anchor = (e.currentTarget as HTMLAnchorElement);
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(anchor.getAttribute("href") ?? "/");
}
