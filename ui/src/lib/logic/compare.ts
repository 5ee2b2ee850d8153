// "Compare with previous": each change as lines a person reads.
import type { EvidenceItem } from "../bindings/EvidenceItem";
import type { RequirementChange } from "../bindings/RequirementChange";
import { STATUS_LABEL } from "./status";
import { VERDICT_LABEL } from "./labels";

export type ChangeLine =
  | { kind: "status" | "statement" | "justification" | "verdict"; label: string; from: string; to: string }
  | { kind: "evidence_added" | "evidence_removed"; label: string; item: string };

function evidence(e: EvidenceItem): string {
  if (e.kind === "file") return `${e.title} (file, SHA-256 ${e.content.slice(0, 12)}…)`;
  if (e.kind === "link") return `${e.title} (${e.content})`;
  return e.title === e.content ? `${e.title} (note)` : `${e.title} (note: ${e.content})`;
}

/** Everything that changed in one requirement, in a fixed order. */
export function changeLines(c: RequirementChange): ChangeLine[] {
  const lines: ChangeLine[] = [];
  if (c.status) lines.push({ kind: "status", label: "Status", from: STATUS_LABEL[c.status.from], to: STATUS_LABEL[c.status.to] });
  if (c.statement) lines.push({ kind: "statement", label: "Statement", from: c.statement.from, to: c.statement.to });
  if (c.justification) lines.push({ kind: "justification", label: "Justification", from: c.justification.from, to: c.justification.to });
  for (const e of c.evidence_added ?? []) lines.push({ kind: "evidence_added", label: "Evidence added", item: evidence(e) });
  for (const e of c.evidence_removed ?? []) lines.push({ kind: "evidence_removed", label: "Evidence removed", item: evidence(e) });
  if (c.verdict) {
    const v = (x: typeof c.verdict.from) => (x ? VERDICT_LABEL[x] : "No verdict");
    lines.push({ kind: "verdict", label: "Verdict", from: v(c.verdict.from), to: v(c.verdict.to) });
  }
  return lines;
}
