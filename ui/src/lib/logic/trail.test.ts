import { describe, expect, it } from "vitest";
import type { Event } from "../bindings/Event";
import { changes, headline, matches, searchText, show, subject } from "./trail";

const base = { seq: 1, at: "2026-11-25T10:00:00Z", actor: "Ada", prev_hash: "0", hash: "1" };

const answerChanged: Event = {
  ...base,
  entity: "response",
  entity_id: "7",
  action: "update",
  before: JSON.stringify({ id: 7, requirement: "uk-cop-2018:1", status: "not_assessed", statement: "", updated_at: "a" }),
  after: JSON.stringify({ id: 7, requirement: "uk-cop-2018:1", status: "met", statement: "Unique passwords", updated_at: "b" }),
};

describe("trail events in words", () => {
  it("lists only the fields that changed, in the words the UI uses", () => {
    expect(changes(answerChanged)).toEqual([
      { field: "status", before: "Not assessed", after: "Met" },
      { field: "statement", before: "—", after: "Unique passwords" },
    ]);
    expect(headline(answerChanged)).toBe("changed answer");
    expect(subject(answerChanged)).toBe("uk-cop-2018:1: Met");
  });

  it("names removals, restores and transitions", () => {
    const removed: Event = {
      ...base,
      entity: "evidence",
      entity_id: "3",
      action: "delete",
      before: JSON.stringify({ id: 3, title: "Pen test", kind: "file" }),
    };
    expect(headline(removed)).toBe("removed evidence");
    expect(subject(removed)).toBe("Pen test");
    expect(changes(removed)).toEqual([
      { field: "title", before: "Pen test", after: "—" },
      { field: "kind", before: "file", after: "—" },
    ]);
    const approved: Event = {
      ...base,
      entity: "assessment",
      entity_id: "1",
      action: "request_changes",
      before: JSON.stringify({ label: "fw 1", state: "in_review" }),
      after: JSON.stringify({ label: "fw 1", state: "changes_requested" }),
    };
    expect(headline(approved)).toBe("requested changes to assessment");
    expect(changes(approved)).toEqual([{ field: "state", before: "In review", after: "Changes requested" }]);
  });

  it("shows lists and nested values readably, and survives bad JSON", () => {
    expect(show("roles", ["DM", "SP"])).toBe("DM, SP");
    expect(show("manufacturer", { name: "Acme", address: "" })).toBe("name: Acme");
    expect(show("verdict", "needs_info")).toBe("Needs more information");
    const broken: Event = { ...base, entity: "product", entity_id: "1", action: "create", after: "{not json" };
    expect(changes(broken)).toEqual([]);
    expect(subject(broken)).toBe("");
    expect(subject({ ...broken, entity: "response" })).toBe("");
  });

  it("filters by actor, words and changed values", () => {
    const text = searchText(answerChanged);
    expect(matches(text, "ada")).toBe(true);
    expect(matches(text, "unique pass")).toBe(true);
    expect(matches(text, "changed answer")).toBe(true);
    expect(matches(text, "rejected")).toBe(false);
    expect(matches(text, "  ")).toBe(true);
  });
});
