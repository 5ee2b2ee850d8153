import { describe, expect, it } from "vitest";
import { formatSize } from "./format";
import { relationshipLabel } from "./mapping";

describe("formatSize", () => {
  it("uses bytes below 1 KB and one decimal below 100 units", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(1023)).toBe("1023 B");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(150 * 1024)).toBe("150 KB");
    expect(formatSize(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});

describe("relationshipLabel", () => {
  it("reads subset and superset from the requirement shown", () => {
    expect(relationshipLabel("subset-of")).toBe("Part of");
    expect(relationshipLabel("superset-of")).toBe("Covers");
    expect(relationshipLabel("equal")).toBe("Equal to");
  });
});
