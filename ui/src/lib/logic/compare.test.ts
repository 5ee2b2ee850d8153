import { describe, expect, it } from "vitest";
import { changeLines } from "./compare";

describe("changeLines", () => {
  it("lists each changed field in words", () => {
    const lines = changeLines({
      requirement: "uk-cop-2018:2",
      title: "Vulnerability disclosure",
      status: { from: "met", to: "not_met" },
      justification: { from: "", to: "Withdrawn" },
      evidence_added: [{ kind: "link", title: "Policy", content: "https://example.com/p" }],
      evidence_removed: [{ kind: "file", title: "test.txt", content: "ab".repeat(32) }],
      verdict: { from: "accepted", to: null },
    });
    expect(lines).toEqual([
      { kind: "status", label: "Status", from: "Met", to: "Not met" },
      { kind: "justification", label: "Justification", from: "", to: "Withdrawn" },
      { kind: "evidence_added", label: "Evidence added", item: "Policy (https://example.com/p)" },
      { kind: "evidence_removed", label: "Evidence removed", item: "test.txt (file, SHA-256 abababababab…)" },
      { kind: "verdict", label: "Verdict", from: "Accepted", to: "No verdict" },
    ]);
  });

  it("shows a note's text unless the title already is it", () => {
    const note = (title: string) => changeLines({ requirement: "r", title: "t", evidence_added: [{ kind: "note", title, content: "Inbox answered" }] });
    expect(note("Inbox answered")[0]).toMatchObject({ item: "Inbox answered (note)" });
    expect(note("Inbox test")[0]).toMatchObject({ item: "Inbox test (note: Inbox answered)" });
  });
});
