// Filtering and searching lists the UI already holds.
import type { Framework } from "../bindings/Framework";
import type { Requirement } from "../bindings/Requirement";
import type { Status } from "../bindings/Status";

/** Lower-cased words of a query; empty for a blank query. */
export function terms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
}

/** True when every term occurs in one of the fields. */
export function matchesAll(fields: (string | null | undefined)[], ts: string[]): boolean {
  if (ts.length === 0) return true;
  const hay = fields.filter(Boolean).join("\n").toLowerCase();
  return ts.every((t) => hay.includes(t));
}

/** `open` means anything that still needs work: not assessed, partially met or not met. */
export type StatusFilter = "all" | "open" | Status;

export function statusMatches(filter: StatusFilter, status: Status): boolean {
  if (filter === "all") return true;
  if (filter === "open") return status === "not_assessed" || status === "partially_met" || status === "not_met";
  return filter === status;
}

export interface Row {
  requirement: string;
  ref: string;
  title: string;
  status: Status;
}

export function filterRows<T extends Row>(
  rows: T[],
  filter: StatusFilter,
  query: string,
  text: (row: T) => (string | null | undefined)[] = () => [],
): T[] {
  const ts = terms(query);
  return rows.filter(
    (r) => statusMatches(filter, r.status) && matchesAll([r.ref, r.title, ...text(r)], ts),
  );
}

export interface Hit {
  id: string;
  framework: Framework;
  requirement: Requirement;
  /** A short excerpt around the first term, or the title. */
  excerpt: string;
}

/** Searches reference, title, text and supporting text of every requirement. */
export function searchCatalogue(frameworks: Framework[], query: string, limit = 200): Hit[] {
  const ts = terms(query);
  if (ts.length === 0) return [];
  const hits: Hit[] = [];
  for (const fw of frameworks) {
    for (const r of fw.requirements) {
      if (!matchesAll([r.ref, r.title, r.text, r.supporting_text], ts)) continue;
      hits.push({ id: `${fw.id}:${r.ref}`, framework: fw, requirement: r, excerpt: excerpt(r, ts[0]!) });
      if (hits.length >= limit) return hits;
    }
  }
  return hits;
}

export function excerpt(r: Requirement, term: string, width = 70): string {
  for (const field of [r.text, r.supporting_text]) {
    if (!field) continue;
    const i = field.toLowerCase().indexOf(term);
    if (i < 0) continue;
    const start = Math.max(0, i - width);
    const end = Math.min(field.length, i + term.length + width);
    return (start > 0 ? "…" : "") + field.slice(start, end).replace(/\s+/g, " ") + (end < field.length ? "…" : "");
  }
  return r.title;
}

/** Dashboard search: every term in the product's name, model, manufacturer or assessment label. */
export function filterProducts<T extends { name: string; model: string; manufacturer: string; assessment_label?: string | null }>(
  rows: T[],
  query: string,
): T[] {
  const ts = terms(query);
  if (ts.length === 0) return rows;
  return rows.filter((r) => matchesAll([r.name, r.model, r.manufacturer, r.assessment_label], ts));
}
