// Trail events in words: what changed, on what, and field by field before → after.
import type { Event } from "../bindings/Event";
import type { Status } from "../bindings/Status";
import type { Verdict } from "../bindings/Verdict";
import type { AssessmentState } from "../bindings/AssessmentState";
import { STATUS_LABEL } from "./status";
import { STATE_LABEL, VERDICT_LABEL } from "./labels";

export type FieldChange = { field: string; before: string; after: string };

type Json = Record<string, unknown>;

/** Bookkeeping fields every entity carries; they change with every edit. */
const NOISE = new Set(["id", "created_at", "updated_at"]);

const VERB: Record<string, string> = {
  create: "added",
  update: "changed",
  delete: "removed",
  restore: "restored",
  store: "stored",
  submit: "submitted",
  start_review: "started review of",
  approve: "approved",
  request_changes: "requested changes to",
  sign: "signed",
  clone: "cloned",
  receive: "received",
};

const NOUN: Record<string, string> = {
  product: "product",
  assessment: "assessment",
  response: "answer",
  evidence: "evidence",
  review: "verdict",
  profile: "profile",
  blob: "file",
  received: "document",
};

function parse(text: string | undefined): Json | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

/** A stored value as a person reads it. */
export function show(field: string, v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (field === "status" && typeof v === "string" && v in STATUS_LABEL) return STATUS_LABEL[v as Status];
  if (field === "state" && typeof v === "string" && v in STATE_LABEL) return STATE_LABEL[v as AssessmentState];
  if (field === "verdict" && typeof v === "string" && v in VERDICT_LABEL) return VERDICT_LABEL[v as Verdict];
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ") : "—";
  if (typeof v === "object") {
    return Object.entries(v as Json)
      .filter(([, x]) => x !== null && x !== "")
      .map(([k, x]) => `${k}: ${typeof x === "string" ? x : JSON.stringify(x)}`)
      .join("; ") || "—";
  }
  return String(v);
}

/** Fields that differ between before and after (all set fields for an addition). */
export function changes(e: Event): FieldChange[] {
  const before = parse(e.before) ?? {};
  const after = parse(e.after) ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: FieldChange[] = [];
  for (const f of fields) {
    if (NOISE.has(f)) continue;
    const b = JSON.stringify(before[f] ?? null);
    const a = JSON.stringify(after[f] ?? null);
    if (a === b) continue;
    out.push({ field: f, before: show(f, before[f]), after: show(f, after[f]) });
  }
  return out;
}

/** The thing an event is about, named as the UI names it. */
export function subject(e: Event): string {
  const v = parse(e.after) ?? parse(e.before) ?? {};
  const s = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
  switch (e.entity) {
    case "product":
      return [s("name"), s("model")].filter(Boolean).join(" · ");
    case "assessment":
      return s("label");
    case "response":
      return s("requirement") ? `${s("requirement")}: ${show("status", v.status)}` : "";
    case "evidence":
      return s("title");
    case "review":
      return `${show("verdict", v.verdict)}${s("comment") ? ` — ${s("comment")}` : ""}`;
    case "profile":
      return [s("name"), s("role")].filter(Boolean).join(", ");
    case "blob":
      return `${e.entity_id.slice(0, 12)}…`;
    default:
      return `${e.entity} ${e.entity_id}`;
  }
}

/** "changed answer", "approved assessment", "restored evidence". */
export function headline(e: Event): string {
  const verb = VERB[e.action] ?? e.action.replaceAll("_", " ");
  return `${verb} ${NOUN[e.entity] ?? e.entity}`;
}

/** Everything a filter looks in, lower-cased once per event: actor, headline, subject, changed values. */
export function searchText(e: Event): string {
  return [e.actor, headline(e), subject(e), ...changes(e).flatMap((c) => [c.before, c.after])].join("\n").toLowerCase();
}

/** Whether `query` (any case) appears in the event's `searchText`. */
export function matches(text: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || text.includes(q);
}
