import { describe, expect, it } from "vitest";
import type { Finding } from "../bindings/Finding";
import { findingView, signatureLine } from "./verify";

describe("verify findings in words", () => {
  it("names the table, row and field with both values", () => {
    const f: Finding = {
      check: "rows",
      subject: "review 3",
      message: "verdict: the trail says \"rejected\", the table holds \"accepted\"",
      row: { table: "review", id: "3", field: "verdict", in_trail: "rejected", in_table: "accepted" },
    };
    expect(findingView(f)).toEqual({ where: "review 3 · verdict", trail: "rejected", table: "accepted" });
  });

  it("says which side lacks a whole row, and cuts long rows short", () => {
    const long = JSON.stringify({ id: 2, note: "x".repeat(500) });
    const f: Finding = {
      check: "rows",
      subject: "evidence 2",
      message: "deleted",
      row: { table: "evidence", id: "2", in_trail: long },
    };
    const view = findingView(f);
    expect(view.where).toBe("evidence 2");
    expect(view.table).toBe("(no such row)");
    expect(view.trail?.length).toBe(241);
    expect(view.trail?.endsWith("…")).toBe(true);
  });

  it("puts the event first for a replay finding, and keeps other findings as text", () => {
    const replay: Finding = {
      check: "trail_replay",
      subject: "event 12",
      message: "changed behind the trail's back",
      row: { table: "product", id: "2", field: "batch", in_trail: "fw 1.x" },
    };
    expect(findingView(replay)).toEqual({ where: "event 12 · product 2 · batch", trail: "fw 1.x", table: "(empty)" });
    const chain: Finding = { check: "trail_chain", subject: "event 4", message: "was edited" };
    expect(findingView(chain)).toEqual({ where: "event 4: was edited", trail: null, table: null });
  });
});

describe("signatureLine", () => {
  it("counts signed acts and explains unsigned ones", () => {
    expect(signatureLine(1, 0)).toBe("1 act signed");
    expect(signatureLine(5, 2)).toBe(
      "5 acts signed; 2 acts unsigned (by someone without a key, or recorded before acts were signed)",
    );
  });
});
