import { describe, expect, it } from "vitest";
import type { RegisterRow } from "../bindings/RegisterRow";
import { claimsBasis, filterReceived, flagCounts, hasFlag, searchText, type ReceivedFlag } from "./received";

function row(id: number, over: Partial<RegisterRow> = {}): RegisterRow {
  return {
    id,
    file_name: `doc-${id}.pdf`,
    manufacturer: "Acme Ltd",
    product: `Plug ${id}`,
    model: `P-${id}`,
    kind: "attestation",
    canaries: ["1", "2", "3"].map((r) => ({ requirement: `uk-cop-2018:${r}`, verdict: "pass" })),
    support_period_end: "2030-12-31",
    support: "later",
    signer: "Ada Lovelace",
    signer_organisation: "Acme Ltd",
    key_id: "AA898A3C4305A2E8",
    signature: "valid",
    trust: "trusted",
    trusted: true,
    trusted_as: "Acme team",
    trust_at_receipt: "untrusted",
    report_date: "2026-01-01T00:00:00Z",
    received_at: "2026-12-01T10:00:00Z",
    ...over,
  };
}

const good = row(1);
const unsigned = row(2, { signature: "unsigned", trust: "none", trusted: false, key_id: null, signer: null, trusted_as: null });
const untrusted = row(3, { trust: "untrusted", trusted: false, trusted_as: null, manufacturer: "Bolt GmbH" });
const pinned = row(4, { trust: "other_key_pinned", trusted: false, trusted_as: null });
const failing = row(5, { canaries: [{ requirement: "uk-cop-2018:1", verdict: "fail" }] });
const ending = row(6, { support: "soon", support_period_end: "2027-03-01" });
const ended = row(7, { support: "past", support_period_end: "2020-01-01", canaries: [{ requirement: "uk-cop-2018:2", verdict: "claimed" }] });
const all = [good, unsigned, untrusted, pinned, failing, ending, ended];

const ids = (rows: RegisterRow[]) => rows.map((r) => r.id);
const only = (...flags: ReceivedFlag[]) => ({ flags: new Set(flags), query: "" });

describe("hasFlag", () => {
  it("sees unsigned, untrusted (or pinned to another key), a canary not passed and support ending", () => {
    expect(ids(all.filter((r) => hasFlag(r, "unsigned")))).toEqual([2]);
    expect(ids(all.filter((r) => hasFlag(r, "untrusted")))).toEqual([3, 4]);
    expect(ids(all.filter((r) => hasFlag(r, "canary")))).toEqual([5, 7]);
    expect(ids(all.filter((r) => hasFlag(r, "support")))).toEqual([6, 7]);
  });
});

describe("filterReceived", () => {
  it("keeps everything without a filter, in order", () => {
    expect(ids(filterReceived(all, only()))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("narrows by every ticked flag", () => {
    expect(ids(filterReceived(all, only("support")))).toEqual([6, 7]);
    expect(ids(filterReceived(all, only("support", "canary")))).toEqual([7]);
    expect(ids(filterReceived(all, only("unsigned", "untrusted")))).toEqual([]);
  });

  it("searches manufacturer, product, model, signer and key id by every word", () => {
    expect(ids(filterReceived(all, { flags: new Set(), query: "bolt" }))).toEqual([3]);
    expect(ids(filterReceived(all, { flags: new Set(), query: "plug p-5" }))).toEqual([5]);
    expect(ids(filterReceived(all, { flags: new Set(), query: "aa898a3c" })).length).toBe(6);
    const texts = all.map(searchText);
    expect(ids(filterReceived(all, { flags: new Set(["canary"]), query: "  p-7 " }, texts))).toEqual([7]);
  });

  it("counts each flag", () => {
    expect(flagCounts(all)).toEqual({ unsigned: 1, untrusted: 2, canary: 2, support: 2 });
  });

  it("filters 5,000 documents (figure printed, not asserted)", () => {
    const verdicts = ["pass", "claimed", "fail", "unknown"];
    const many = Array.from({ length: 5000 }, (_, i) =>
      row(i, {
        manufacturer: `Maker ${i % 97}`,
        signature: i % 11 === 0 ? "unsigned" : "valid",
        trusted: i % 3 !== 0,
        support: (["past", "soon", "later", "unknown"] as const)[i % 4]!,
        canaries: ["1", "2", "3"].map((r, k) => ({ requirement: `uk-cop-2018:${r}`, verdict: verdicts[(i + k) % 4]! })),
      }),
    );
    const texts = many.map(searchText);
    const filters = [only(), only("canary"), only("untrusted", "support"), { flags: new Set<ReceivedFlag>(["canary"]), query: "maker 42" }];
    const runs = 20;
    const t0 = performance.now();
    let kept = 0;
    for (let k = 0; k < runs; k++) for (const f of filters) kept += filterReceived(many, f, texts).length;
    const perFilter = (performance.now() - t0) / (runs * filters.length);
    console.log(`received filter: 5,000 documents in ${perFilter.toFixed(2)} ms per filter (mean of ${runs * filters.length})`);
    expect(kept).toBeGreaterThan(0);
    expect(filterReceived(many, only("unsigned")).every((r) => r.signature === "unsigned")).toBe(true);
  });
});

describe("claimsBasis", () => {
  it("says what a document's claims rest on: its signature now and the key's trust", () => {
    expect(claimsBasis("valid", "trusted", "Acme")).toMatchObject({ tone: "ok" });
    expect(claimsBasis("valid", "trusted", "Acme").text).toContain("(Acme)");
    expect(claimsBasis("valid", "own", null).tone).toBe("ok");
    expect(claimsBasis("valid", "untrusted", null)).toMatchObject({ tone: "warn" });
    expect(claimsBasis("valid", "untrusted", null).text).toMatch(/not confirmed/);
    expect(claimsBasis("valid", "other_key_pinned", null).tone).toBe("bad");
    expect(claimsBasis("unsigned", "none", null)).toMatchObject({ tone: "warn" });
    expect(claimsBasis("unsigned", "none", null).text).toMatch(/^Unsigned/);
    // A copy that no longer matches its signature outweighs any trust in the key.
    expect(claimsBasis("invalid", "trusted", "Acme")).toMatchObject({ tone: "bad" });
  });
});
