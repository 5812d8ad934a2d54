/** The reserve form's fields, as typed. */
export interface Form {
  name: string; workers: string; head: boolean; cpus: string; memory: string; disk: string; shared: string;
  image: string; packages: string; sshKeys: string; sites: string; start: string; latestStart: string;
  duration: string; repeat: string; timeZone: string;
}

export const emptyForm: Form = {
  name: "", workers: "2", head: true, cpus: "1", memory: "512M", disk: "", shared: "", image: "micro", packages: "",
  sshKeys: "", sites: "", start: "now", latestStart: "", duration: "1h", repeat: "", timeZone: "",
};

const list = (text: string, separator: RegExp) => text.split(separator).map(s => s.trim()).filter(s => s.length > 0);

/** The create request (POST /api/v1/clusters, or /api/v1/series with a rule): empty fields are left out. */
export function requestOf(f: Form): Record<string, unknown> {
  const number = (s: string) => (s.trim() === "" ? undefined : Number(s));
  const text = (s: string) => (s.trim() === "" ? undefined : s.trim());
  const body: Record<string, unknown> = {
    name: text(f.name), workers: number(f.workers), head: f.head, cpus: number(f.cpus), memory: text(f.memory),
    disk: text(f.disk), shared: text(f.shared), image: text(f.image), packages: list(f.packages, /[,\s]+/),
    sshKeys: list(f.sshKeys, /\n/), sites: list(f.sites, /[,\s]+/), start: text(f.start) ?? "now",
    latestStart: text(f.latestStart), duration: text(f.duration), repeat: text(f.repeat),
    timeZone: text(f.repeat) ? text(f.timeZone) : undefined,
  };
  for (const key of Object.keys(body)) {
    const v = body[key];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) delete body[key];
  }
  return body;
}

type TextKey = { [K in keyof Form]: Form[K] extends string ? K : never }[keyof Form];

export interface FieldProps {
  id: TextKey; label: string; form: Form; set: (patch: Partial<Form>) => void; problems: string[];
  type?: "text" | "number"; hint?: string; multiline?: boolean; required?: boolean;
  /** The id of a datalist of suggestions. */
  suggest?: string;
}

/** A labelled input with its hint and its problems (aria-invalid, aria-describedby), as the API lists them. */
export function Field({ id, label, form, set, problems, type, hint, multiline, required, suggest }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : "", problems.length > 0 ? `${id}-problems` : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id: `field-${id}`, name: id, value: form[id], required, "aria-invalid": problems.length > 0 ? true : undefined,
    "aria-describedby": describedBy,
    onInput: (e: Event) => set({ [id]: (e.target as HTMLInputElement).value } as Partial<Form>),
  };
  return (
    <div class={`field${problems.length > 0 ? " invalid" : ""}`}>
      <label for={`field-${id}`}>{label}</label>
      {multiline ? <textarea rows={3} {...common} /> : type === "number" ? <input type="number" {...common} /> : <input type="text" list={suggest} {...common} />}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
      {problems.length > 0 && (
        <ul id={`${id}-problems`} class="field-problems">{problems.map(p => <li key={p}>{p}</li>)}</ul>
      )}
    </div>
  );
}
