import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, get } from "../api";
import { when } from "../format";
import type { AuditView, HostView, PeerView, SiteView, TenantView, UserView, WhoAmI } from "../types";
import { Problems } from "../parts/Problems";

interface Tab { id: string; label: string; roles: string[] }

const tabs: Tab[] = [
  { id: "sites", label: "Sites", roles: ["provider"] },
  { id: "hosts", label: "Hosts", roles: ["provider"] },
  { id: "peers", label: "Peers", roles: ["provider"] },
  { id: "tenants", label: "Tenants", roles: ["provider"] },
  { id: "users", label: "Users", roles: ["provider", "tenant-admin"] },
  { id: "quotas", label: "Quotas", roles: ["provider"] },
  { id: "audit", label: "Audit", roles: ["provider", "tenant-admin"] },
];

export const providerTabs = (role: string) => tabs.filter(t => t.roles.includes(role));

/** A table from a list: a header row and one row per item, every cell rendered as text. */
function Table<T>({ caption, rows, columns }: { caption: string; rows: T[]; columns: [string, (row: T) => ComponentChildren][] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead><tr>{columns.map(([h]) => <th key={h} scope="col">{h}</th>)}</tr></thead>
      <tbody>{rows.map((r, i) => <tr key={i}>{columns.map(([h, cell]) => <td key={h}>{cell(r)}</td>)}</tr>)}</tbody>
    </table>
  );
}

function useList<T>(path: string): [T[] | null, unknown, () => void] {
  const [rows, setRows] = useState<T[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    get<T[]>(path, abort.signal).then(setRows).catch(e => abort.signal.aborted || setError(e));
    return () => abort.abort();
  }, [path, n]);
  return [rows, error, () => setN(n + 1)];
}

function QuotaForm({ tenant, onSaved }: { tenant: TenantView; onSaved: () => void }) {
  const [text, setText] = useState(tenant.quota.text);
  const [error, setError] = useState<unknown>(null);
  const id = `quota-${tenant.name}`;
  return (
    <form class="row" onSubmit={async e => {
      e.preventDefault();
      setError(null);
      try { await api("PUT", `/api/v1/tenants/${encodeURIComponent(tenant.name)}/quota`, { quota: text }); onSaved(); } catch (err) { setError(err); }
    }}>
      <label for={id} class="visually-hidden">Quota of {tenant.name}</label>
      <input id={id} value={text} onInput={e => setText((e.target as HTMLInputElement).value)} />
      <button type="submit">Set</button>
      <Problems error={error} />
    </form>
  );
}

function Content({ tab }: { tab: string }) {
  switch (tab) {
    case "sites": {
      const [rows, error] = useList<SiteView>("/api/v1/sites");
      return <><Problems error={error} />{rows && <Table caption="Sites" rows={rows} columns={[
        ["Name", r => r.name], ["URL", r => r.url ?? "—"], ["Local", r => (r.local ? "yes" : "no")], ["Hosts", r => r.hosts], ["VNIs", r => `${r.vniFirst}–${r.vniLast}`]]} />}</>;
    }
    case "hosts": {
      const [rows, error] = useList<HostView>("/api/v1/hosts");
      return <><Problems error={error} />{rows && <Table caption="Hosts: capacity, what is free now, state" rows={rows} columns={[
        ["Name", r => r.name], ["State", r => r.state], ["Roles", r => r.roles.join(", ")], ["Address", r => r.address],
        ["vCPUs free/all", r => `${r.free.cpus}/${r.capacity.cpus}`], ["Memory free/all", r => `${r.free.memory}/${r.capacity.memory}`],
        ["Disk free/all", r => `${r.free.disk}/${r.capacity.disk}`], ["Heartbeat", r => when(r.heartbeatAt)]]} />}</>;
    }
    case "peers": {
      const [rows, error] = useList<PeerView>("/api/v1/peers");
      return <><Problems error={error} />{rows && <Table caption="Peer sites" rows={rows} columns={[
        ["Name", r => r.name], ["URL", r => r.url], ["Added", r => when(r.addedAt)]]} />}</>;
    }
    case "tenants": {
      const [rows, error] = useList<TenantView>("/api/v1/tenants");
      return <><Problems error={error} />{rows && <Table caption="Tenants" rows={rows} columns={[
        ["Name", r => r.name], ["Users", r => r.users], ["Live clusters", r => r.liveClusters], ["Quota", r => r.quota.text || "none"], ["Created", r => when(r.createdAt)]]} />}</>;
    }
    case "quotas": {
      const [rows, error, reload] = useList<TenantView>("/api/v1/tenants");
      return <><Problems error={error} />{rows && <Table caption="Quotas: what each tenant holds against its limits" rows={rows} columns={[
        ["Tenant", r => r.name], ["Nodes", r => `${r.usage.nodes}/${r.quota.nodes ?? "∞"}`], ["vCPUs", r => `${r.usage.vcpus}/${r.quota.vcpus ?? "∞"}`],
        ["Memory", r => `${r.usage.memory}/${r.quota.memory ?? "∞"}`], ["Node-hours", r => `${r.usage.nodeHoursThisMonth}/${r.quota.nodeHours ?? "∞"}`],
        ["Limits (e.g. nodes=16,memory=64G)", r => <QuotaForm tenant={r} onSaved={reload} />]]} />}</>;
    }
    case "users": {
      const [rows, error] = useList<UserView>("/api/v1/users");
      return <><Problems error={error} />{rows && <Table caption="Users" rows={rows} columns={[
        ["Name", r => r.name], ["Tenant", r => r.tenant ?? "—"], ["Role", r => r.role], ["SSH keys", r => r.keys], ["Created", r => when(r.createdAt)]]} />}</>;
    }
    case "audit": {
      const [rows, error] = useList<AuditView>("/api/v1/audit?limit=200");
      return <><Problems error={error} />{rows && <Table caption="Audit trail, newest first" rows={rows} columns={[
        ["When", r => when(r.at)], ["Who", r => `${r.actor} (${r.actorKind})`], ["Action", r => r.action], ["Resource", r => r.resource ?? "—"],
        ["From", r => r.address ?? "—"], ["Status", r => r.status], ["Detail", r => r.detail ?? ""]]} />}</>;
    }
    default:
      return <p>There is no such page.</p>;
  }
}

/** The provider's (and a tenant admin's) pages: sites, hosts, peers, tenants, users, quotas, audit trail. */
export function ProviderPage({ me, tab }: { me: WhoAmI; tab: string }) {
  const allowed = providerTabs(me.role).find(t => t.id === tab);
  if (!allowed) return <section><h1>Not found</h1><p>There is no such page for your role.</p></section>;
  return (
    <>
      <h1>{allowed.label}</h1>
      <Content key={tab} tab={tab} />
    </>
  );
}
