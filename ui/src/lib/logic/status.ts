// Presentation of response statuses and progress; the rules themselves live in the store.
import type { Status } from "../bindings/Status";
import type { StatusCounts } from "../bindings/StatusCounts";

export const STATUSES: readonly Status[] = [
  "not_assessed",
  "met",
  "partially_met",
  "not_met",
  "not_applicable",
];

export const STATUS_LABEL: Record<Status, string> = {
  not_assessed: "Not assessed",
  met: "Met",
  partially_met: "Partially met",
  not_met: "Not met",
  not_applicable: "Not applicable",
};

/** Mirrors `Status::needs_justification` so the hint shows before the store answers. */
export function needsJustification(status: Status): boolean {
  return status === "not_met" || status === "not_applicable";
}

export interface Progress {
  /** Requirements with any status other than not assessed. */
  done: number;
  total: number;
  /** Whole percent, 0 when the framework has no requirements. */
  percent: number;
}

export function progress(c: StatusCounts): Progress {
  const done = c.total - c.not_assessed;
  return { done, total: c.total, percent: c.total === 0 ? 0 : Math.floor((done * 100) / c.total) };
}

/** Segments for a stacked bar, in a fixed order, skipping empty ones. */
export function segments(c: StatusCounts): { status: Status; count: number; percent: number }[] {
  const order: Status[] = ["met", "partially_met", "not_met", "not_applicable"];
  return order
    .map((status) => ({
      status,
      count: c[status],
      percent: c.total === 0 ? 0 : (c[status] * 100) / c.total,
    }))
    .filter((s) => s.count > 0);
}

/** The framework a new product is assessed against unless another is chosen. */
export const DEFAULT_FRAMEWORK = "uk-cop-2018";

/** Counts per framework of rows the UI holds, so progress follows edits without a reload. */
export function countRows(rows: { framework: string; status: Status }[], frameworks: string[]): StatusCounts[] {
  return frameworks.map((framework) => {
    const c: StatusCounts = { framework, total: 0, not_assessed: 0, met: 0, partially_met: 0, not_met: 0, not_applicable: 0 };
    for (const r of rows) {
      if (r.framework !== framework) continue;
      c.total += 1;
      c[r.status] += 1;
    }
    return c;
  });
}
