import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, get, problemsOf } from "../api";
import { navigate } from "../router";
import { when } from "../format";
import type { CapacityTimeline, ClusterView, DryRun, FitWindows, WhoAmI } from "../types";
import { Calendar } from "../parts/Calendar";
import { Problems } from "../parts/Problems";
import { Field, type Form, emptyForm, requestOf } from "./ReserveForm";

const ranges = {
  days: { label: "Days", step: "1h", span: 3 },
  weeks: { label: "Weeks", step: "1d", span: 42 },
  months: { label: "Months", step: "7d", span: 182 },
} as const;
type Range = keyof typeof ranges;

function query(params: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(params).filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&");
}

/**
 * Reserve: the whole request, checked as it is typed by a dry run of the create (every problem by its field), a
 * capacity calendar marking where it fits (a step that fits picks its start), and — when it does not fit — the
 * earliest start and a button that reserves at it.
 */
export function Reserve({ me }: { me: WhoAmI }) {
  const [form, setForm] = useState<Form>(emptyForm);
  const [check, setCheck] = useState<unknown>(null);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [range, setRange] = useState<Range>("weeks");
  const [capacity, setCapacity] = useState<CapacityTimeline | null>(null);
  const [fit, setFit] = useState<FitWindows | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [images, setImages] = useState<string[]>([]);
  const seq = useRef(0);

  useEffect(() => {
    // base images only (a layer is chosen by the packages asked for)
    get<{ name: string; parent?: string | null }[]>("/api/v1/images").then(list => setImages(list.filter(i => !i.parent).map(i => i.name))).catch(() => {});
  }, []);

  const set = (patch: Partial<Form>) => setForm(f => ({ ...f, ...patch }));

  // the dry run, a moment after the last keystroke; an older answer never overwrites a newer one
  useEffect(() => {
    const n = ++seq.current;
    if (form.repeat.trim()) { setDry(null); setCheck(null); return; } // a series is checked when it is sent
    const timer = setTimeout(() => {
      api<DryRun>("POST", "/api/v1/clusters?dryRun=true", requestOf(form))
        .then(r => { if (n === seq.current) { setDry(r); setCheck(null); } })
        .catch(e => { if (n === seq.current) { setDry(null); setCheck(e); } });
    }, 300);
    return () => clearTimeout(timer);
  }, [form]);

  // the calendar for the node shape and duration asked
  useEffect(() => {
    const r = ranges[range];
    const to = new Date(Date.now() + r.span * 86400_000).toISOString();
    const shape = { cpus: form.cpus || undefined, memory: form.memory || undefined, disk: form.disk || undefined };
    const abort = new AbortController();
    const timer = setTimeout(() => {
      get<CapacityTimeline>(`/api/v1/capacity?${query({ step: r.step, to, ...shape })}`, abort.signal).then(setCapacity).catch(() => {});
      get<FitWindows>(`/api/v1/capacity/fit?${query({ to, workers: form.workers, head: form.head, duration: form.duration || "1h", ...shape })}`, abort.signal)
        .then(setFit).catch(() => setFit(null));
    }, 300);
    return () => { clearTimeout(timer); abort.abort(); };
  }, [range, form.workers, form.head, form.cpus, form.memory, form.disk, form.duration]);

  const reserve = async (override?: Partial<Form>) => {
    const final = { ...form, ...override };
    if (override) setForm(final);
    setBusy(true);
    setError(null);
    try {
      if (final.repeat.trim()) {
        await api("POST", "/api/v1/series", requestOf(final));
        navigate("/");
      } else {
        const made = await api<ClusterView>("POST", "/api/v1/clusters", requestOf(final));
        navigate(`/clusters/${encodeURIComponent(made.name)}`);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const earliest = (error instanceof ApiError && error.status === 409 ? error.problem.earliestStart : null)
    ?? (dry && !dry.fits ? dry.earliest : null);
  const fieldProblems = (field: string) => problemsOf(check, field);
  const need = (parseInt(form.workers, 10) || 0) + (form.head ? 1 : 0);

  return (
    <>
      <h1>Reserve a cluster</h1>
      {me.tenant && <p>For tenant <strong>{me.tenant}</strong>; the request is checked as you type.</p>}
      <form class="reserve" onSubmit={e => { e.preventDefault(); reserve(); }} noValidate>
        <fieldset>
          <legend>Cluster</legend>
          <Field id="name" label="Name" form={form} set={set} problems={fieldProblems("name")} required />
          <Field id="workers" label="Workers" type="number" form={form} set={set} problems={fieldProblems("workers")} />
          <label class="check"><input type="checkbox" checked={form.head} onChange={e => set({ head: (e.target as HTMLInputElement).checked })} /> A head node</label>
          <Field id="cpus" label="vCPUs per node" type="number" form={form} set={set} problems={fieldProblems("cpus")} />
          <Field id="memory" label="Memory per node" hint="like 1G or 512M" form={form} set={set} problems={fieldProblems("memory")} />
          <Field id="disk" label="Disk per node" hint="like 4G" form={form} set={set} problems={fieldProblems("disk")} />
          <Field id="shared" label="Shared volume" hint="a size, or empty for none" form={form} set={set} problems={fieldProblems("shared")} />
        </fieldset>
        <fieldset>
          <legend>Software and access</legend>
          <Field id="image" label="Image" hint="micro, debian-12, …" suggest="images" form={form} set={set} problems={fieldProblems("image")} />
          <datalist id="images">{images.map(i => <option key={i} value={i} />)}</datalist>
          <Field id="packages" label="Packages" hint="comma-separated Debian packages" form={form} set={set} problems={fieldProblems("packages")} />
          <Field id="sshKeys" label="SSH public keys" hint="one per line; your registered keys are added" multiline form={form} set={set} problems={fieldProblems("sshKeys")} />
          <Field id="sites" label="Sites" hint="e.g. a:2,b:2; empty for this site" form={form} set={set} problems={fieldProblems("sites")} />
        </fieldset>
        <fieldset>
          <legend>When</legend>
          <Field id="start" label="Start" hint="now, or a UTC time like 2027-01-05T09:00Z" form={form} set={set} problems={fieldProblems("start")} />
          <Field id="latestStart" label="Latest start" hint="optional: the earliest start up to this time that fits" form={form} set={set} problems={fieldProblems("latestStart")} />
          <Field id="duration" label="Duration" hint="like 1h, 4h or 7d" form={form} set={set} problems={fieldProblems("duration")} />
          <Field id="repeat" label="Repeat" hint="optional RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10" form={form} set={set} problems={fieldProblems("repeat")} />
          {form.repeat.trim() && <Field id="timeZone" label="Time zone of the series" hint="e.g. Asia/Tokyo: 09:00 stays 09:00 across DST" form={form} set={set} problems={fieldProblems("timeZone")} />}
        </fieldset>
        <div class="status" aria-live="polite">
          {check instanceof ApiError && check.status === 400 && <p class="error">Problems: {(check.problem.errors ?? []).length}. Each is shown by its field.</p>}
          {check instanceof ApiError && check.status !== 400 && <Problems error={check} />}
          {dry?.fits && <p class="ok">The request fits.</p>}
          {dry && !dry.fits && <p class="error">It does not fit{dry.reason ? `: ${dry.reason}` : "."}</p>}
        </div>
        <Problems error={error} />
        {earliest && (
          <p class="earliest">
            Earliest start at which it fits: <strong data-earliest={earliest}>{when(earliest)}</strong>{" "}
            <button type="button" class="primary" disabled={busy} onClick={() => reserve({ start: earliest, latestStart: "" })}>
              Reserve at {when(earliest)}
            </button>
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>Reserve</button>
      </form>
      <section aria-labelledby="calendar-title">
        <h2 id="calendar-title">Capacity calendar</h2>
        <div role="group" aria-label="Calendar range" class="tabs">
          {(Object.keys(ranges) as Range[]).map(r => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>{ranges[r].label}</button>
          ))}
        </div>
        {capacity && (
          <Calendar steps={capacity.steps} fit={fit} need={need} selected={form.start === "now" ? null : form.start}
            onPick={start => set({ start: Date.parse(start) <= Date.now() + 60_000 ? "now" : start, latestStart: "" })}
            label={`Nodes of this shape free per ${ranges[range].step}; a marked step is one where the request fits (choose it to start there)`} />
        )}
      </section>
    </>
  );
}
