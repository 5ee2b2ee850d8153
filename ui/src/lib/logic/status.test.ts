import { describe, expect, it } from "vitest";
import { countRows, needsJustification, progress, segments } from "./status";
import type { StatusCounts } from "../bindings/StatusCounts";

const counts = (o: Partial<StatusCounts>): StatusCounts => ({
  framework: "uk-cop-2018",
  total: 0,
  not_assessed: 0,
  met: 0,
  partially_met: 0,
  not_met: 0,
  not_applicable: 0,
  ...o,
});

describe("progress", () => {
  it("counts everything but not-assessed as done", () => {
    expect(progress(counts({ total: 13, not_assessed: 9, met: 2, not_met: 1, not_applicable: 1 }))).toEqual({
      done: 4,
      total: 13,
      percent: 30,
    });
  });

  it("is 0% for an empty framework instead of dividing by zero", () => {
    expect(progress(counts({}))).toEqual({ done: 0, total: 0, percent: 0 });
  });

  it("segments skip empty statuses and keep a fixed order", () => {
    const s = segments(counts({ total: 4, not_met: 1, met: 3 }));
    expect(s.map((x) => x.status)).toEqual(["met", "not_met"]);
    expect(s[0]!.percent).toBe(75);
  });
});

describe("justification", () => {
  it("is needed for not met and not applicable only", () => {
    expect(needsJustification("not_met")).toBe(true);
    expect(needsJustification("not_applicable")).toBe(true);
    expect(needsJustification("partially_met")).toBe(false);
    expect(needsJustification("met")).toBe(false);
    expect(needsJustification("not_assessed")).toBe(false);
  });
});

describe("countRows", () => {
  it("counts rows per framework in the order asked, including frameworks with no rows", () => {
    const rows = [
      { framework: "uk-cop-2018", status: "met" as const },
      { framework: "uk-cop-2018", status: "not_assessed" as const },
      { framework: "uk-psti-2023", status: "not_met" as const },
    ];
    const c = countRows(rows, ["uk-psti-2023", "uk-cop-2018", "eu-cra-2024"]);
    expect(c.map((x) => [x.framework, x.total])).toEqual([
      ["uk-psti-2023", 1],
      ["uk-cop-2018", 2],
      ["eu-cra-2024", 0],
    ]);
    expect(c[1]).toMatchObject({ met: 1, not_assessed: 1 });
    expect(c[0]).toMatchObject({ not_met: 1 });
  });
});
