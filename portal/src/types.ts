// The API's JSON shapes (src/Vcm.Api), as the portal reads them.

export interface WhoAmI { user: string; tenant?: string | null; role: string; site: string; tokenId?: string | null }
export interface AuthOptions { password: boolean; oidc: { name: string; login: string } | null }
export interface Session { user: string; tenant?: string | null; role: string; expires: string }

export interface NodeView {
  name: string; role: string; host: string; site: string; ip?: string | null; mac: string; state: string;
  detail?: string | null; hostKeyFingerprint?: string | null;
}

export interface Condition { type: string; status?: string; reason?: string; message?: string; since?: string }
export interface Estimate { way: string; seconds: number; why: string }

export interface ClusterSpec {
  name: string; workers: number; head: boolean; cpus: number; memory: string; disk: string; shared?: string | null;
  image: string; packages: string[]; sshKeys: string[]; start: string; end: string; sites: string[];
}

export interface ClusterView {
  id: string; name: string; phase: string; reason?: string | null; site: string; start: string; end: string;
  createdAt: string; deletionRequestedAt?: string | null; nodesReady: number; nodesTotal: number; subnet: string;
  spec: ClusterSpec; conditions?: Condition[]; nodes?: NodeView[] | null; estimate?: Estimate | null;
}

export interface EventView { at: string; type: string; reason: string; message: string; source: string; cluster?: string }

export interface CapacityStep {
  start: string; end: string; cpus: number; memory: string; disk: string; nodes?: number | null;
  quota?: { nodes?: number | null; vcpus?: number | null; memory?: string | null; nodesOfShape?: number | null } | null;
}
export interface CapacityTimeline { site: string; from: string; to: string; step: string; shape?: string | null; steps: CapacityStep[]; tenant?: string | null }
export interface FitWindows { site: string; from: string; to: string; duration: string; windows: { firstStart: string; lastStart: string }[] }

export interface Quota { nodes?: number | null; vcpus?: number | null; memory?: string | null; shared?: string | null; nodeHours?: number | null; text: string }
export interface QuotaUsage { nodes: number; vcpus: number; memory: string; shared: string; nodeHoursThisMonth: number }
export interface TenantView { name: string; quota: Quota; usage: QuotaUsage; users: number; liveClusters: number; createdAt: string }

export interface HostView {
  name: string; site: string; state: string; roles: string[]; driver: string; kvm: boolean; address: string;
  capacity: { cpus: number; memory: string; disk: string }; free: { cpus: number; memory: string; disk: string }; heartbeatAt: string;
}
export interface SiteView { name: string; url?: string | null; local: boolean; hosts: number; vniFirst: number; vniLast: number }
export interface PeerView { name: string; url: string; addedAt: string }
export interface UserView { name: string; tenant?: string | null; role: string; keys: number; createdAt: string }
export interface AuditView {
  at: string; actor: string; actorKind: string; tenant?: string | null; action: string; resource?: string | null;
  address?: string | null; status: number; detail?: string | null;
}
export interface UsageSample { at: string; cpuPercent: number; memoryBytes: number }
export interface DryRun { fits: boolean; earliest?: string | null; reason?: string | null }
