import { describe, expect, it } from "vitest";
import { excerpt, filterProducts, filterRows, searchCatalogue, statusMatches } from "./filter";
import type { Framework } from "../bindings/Framework";
import type { Requirement } from "../bindings/Requirement";

const req = (ref: string, title: string, text?: string): Requirement => ({
  ref,
  title,
  text,
  applies_to: [],
  canary: false,
  verification: "verified",
  footnotes: [],
});

const fw: Framework = {
  schema_version: 1,
  id: "uk-cop-2018",
  title: "Code of Practice",
  short_title: "UK CoP",
  publisher: "DCMS",
  version: "2018",
  date: "2018-10-14",
  source_url: "https://example.invalid",
  licence: "OGL",
  attribution: "",
  verification: "verified",
  stakeholders: [],
  groups: [],
  requirements: [
    req("1", "No universal default passwords", "All IoT device passwords shall be unique and shall not be resettable to any universal factory default value."),
    req("2", "Implement a vulnerability disclosure policy", "Companies shall provide a public point of contact."),
    req("3", "Keep software updated", "Software components should be securely updateable."),
  ],
  notes: [],
  statement_of_compliance: [],
};

describe("statusMatches", () => {
  it("open means still needing work", () => {
    expect(statusMatches("open", "not_assessed")).toBe(true);
    expect(statusMatches("open", "partially_met")).toBe(true);
    expect(statusMatches("open", "not_met")).toBe(true);
    expect(statusMatches("open", "met")).toBe(false);
    expect(statusMatches("open", "not_applicable")).toBe(false);
    expect(statusMatches("all", "met")).toBe(true);
    expect(statusMatches("met", "not_met")).toBe(false);
  });
});

describe("filterRows", () => {
  const rows = [
    { requirement: "uk-cop-2018:1", ref: "1", title: "No universal default passwords", status: "met" as const },
    { requirement: "uk-cop-2018:2", ref: "2", title: "Vulnerability disclosure", status: "not_assessed" as const },
  ];

  it("combines the status filter and every search word", () => {
    expect(filterRows(rows, "all", "default PASS").map((r) => r.ref)).toEqual(["1"]);
    expect(filterRows(rows, "open", "").map((r) => r.ref)).toEqual(["2"]);
    expect(filterRows(rows, "open", "passwords")).toEqual([]);
  });

  it("searches extra text the caller supplies", () => {
    const text = (r: (typeof rows)[number]) => [r.ref === "2" ? "security.txt at /.well-known" : null];
    expect(filterRows(rows, "all", "well-known", text).map((r) => r.ref)).toEqual(["2"]);
  });
});

describe("searchCatalogue", () => {
  it("finds requirement text and returns an excerpt around the first word", () => {
    const hits = searchCatalogue([fw], "factory default");
    expect(hits.map((h) => h.id)).toEqual(["uk-cop-2018:1"]);
    expect(hits[0]!.excerpt).toContain("factory default");
  });

  it("returns nothing for a blank query and honours the limit", () => {
    expect(searchCatalogue([fw], "   ")).toEqual([]);
    expect(searchCatalogue([fw], "shall", 1)).toHaveLength(1);
  });

  it("falls back to the title when the word is only in the title", () => {
    expect(excerpt(fw.requirements[2]!, "keep")).toBe("Keep software updated");
  });
});

describe("filterProducts", () => {
  const rows = [
    { name: "Acme SmartPlug", model: "SP-200", manufacturer: "Acme Devices Ltd", assessment_label: "Firmware 1.4.2" },
    { name: "Doorbell", model: "DB-1", manufacturer: "Ring Things", assessment_label: null },
  ];
  it("keeps everything for a blank query", () => {
    expect(filterProducts(rows, "  ")).toHaveLength(2);
  });
  it("needs every term, across fields, case-insensitively", () => {
    expect(filterProducts(rows, "acme sp-200").map((r) => r.model)).toEqual(["SP-200"]);
    expect(filterProducts(rows, "ring db")).toHaveLength(1);
    expect(filterProducts(rows, "acme db")).toHaveLength(0);
  });
  it("finds an assessment label", () => {
    expect(filterProducts(rows, "1.4.2")).toHaveLength(1);
  });
});
