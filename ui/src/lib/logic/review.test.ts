import { describe, expect, it } from "vitest";
import { needsReview } from "./review";
import type { RequirementRow } from "../bindings/RequirementRow";

const row = (o: Partial<RequirementRow>): RequirementRow => ({
  requirement: "uk-cop-2018:1",
  framework: "uk-cop-2018",
  ref: "1",
  title: "No universal default passwords",
  canary: true,
  status: "met",
  evidence: [],
  ...o,
});

const response = (updated_at: string) => ({
  id: 1,
  assessment_id: 1,
  requirement: "uk-cop-2018:1",
  status: "met" as const,
  statement: "Unique per device",
  justification: "",
  owner: "",
  created_at: "2026-11-20T10:00:00Z",
  updated_at,
});

describe("needsReview", () => {
  it("skips unanswered requirements", () => {
    expect(needsReview(row({ status: "not_assessed" }))).toBe(false);
  });

  it("flags answers without a verdict", () => {
    expect(needsReview(row({ response: response("2026-11-20T10:00:00Z") }))).toBe(true);
  });

  it("flags answers changed after the verdict, not before", () => {
    const review = { verdict: "accepted" as const, comment: "", reviewer: "Ada", reviewed_at: "2026-11-21T09:00:00Z" };
    expect(needsReview(row({ response: response("2026-11-20T10:00:00Z"), review }))).toBe(false);
    expect(needsReview(row({ response: response("2026-11-22T10:00:00Z"), review }))).toBe(true);
  });
});
