// A `verify` finding in words: where it is (table, row, field) and both values.
import type { Finding } from "../bindings/Finding";

export type FindingView = {
  /** e.g. "review 3 · verdict", or "event 12 · product 2 · batch". */
  where: string;
  /** What the trail says and what the table holds; null for findings about no row. */
  trail: string | null;
  table: string | null;
};

/** Whole rows are shown as JSON; past this they are cut short. */
const LONG = 240;

function cut(text: string): string {
  return text.length > LONG ? `${text.slice(0, LONG)}…` : text;
}

export function findingView(f: Finding): FindingView {
  const row = f.row;
  if (!row) return { where: `${f.subject}: ${f.message}`, trail: null, table: null };
  const place = [`${row.table} ${row.id}`];
  if (row.field) place.push(row.field);
  // A replay finding concerns an event; the row finding is its own subject.
  if (f.check !== "rows") place.unshift(f.subject);
  const absent = row.field ? "(empty)" : "(no such row)";
  return {
    where: place.join(" · "),
    trail: row.in_trail == null ? absent : cut(row.in_trail),
    table: row.in_table == null ? absent : cut(row.in_table),
  };
}

/** What `verify` says of signed acts, in one line. */
export function signatureLine(signed: number, unsigned: number): string {
  const acts = (n: number) => `${n} act${n === 1 ? "" : "s"}`;
  const parts = [`${acts(signed)} signed`];
  if (unsigned > 0) parts.push(`${acts(unsigned)} unsigned (by someone without a key, or recorded before acts were signed)`);
  return parts.join("; ");
}
