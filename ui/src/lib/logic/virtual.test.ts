import { describe, expect, it } from "vitest";
import { layout, listKeyTarget, rowAt, RowHeights, scrollDelta, windowRange } from "./virtual";

// Ten rows of 50 px: row i spans [50 i, 50 i + 50).
const even = layout(10, () => 50);

describe("layout", () => {
  it("holds each row's top and the total height last", () => {
    expect([...layout(3, (i) => [10, 20, 30][i]!)]).toEqual([0, 10, 30, 60]);
    expect([...layout(0, () => 10)]).toEqual([0]);
  });
});

describe("rowAt", () => {
  it("finds the row under a height, clamped to the list", () => {
    expect(rowAt(even, 0)).toBe(0);
    expect(rowAt(even, 49.9)).toBe(0);
    expect(rowAt(even, 50)).toBe(1);
    expect(rowAt(even, 499)).toBe(9);
    expect(rowAt(even, 10_000)).toBe(9);
    expect(rowAt(even, -20)).toBe(0);
    expect(rowAt(layout(0, () => 1), 5)).toBe(-1);
  });

  it("works with uneven rows", () => {
    const o = layout(4, (i) => [10, 100, 5, 40][i]!); // tops 0 10 110 115, total 155
    expect(rowAt(o, 9)).toBe(0);
    expect(rowAt(o, 10)).toBe(1);
    expect(rowAt(o, 112)).toBe(2);
    expect(rowAt(o, 150)).toBe(3);
  });
});

describe("windowRange", () => {
  it("renders the rows in view plus the overscan either side", () => {
    // Band 120–260 shows rows 2 to 5.
    expect(windowRange(even, 120, 260, 0)).toEqual({ start: 2, end: 6 });
    expect(windowRange(even, 120, 260, 2)).toEqual({ start: 0, end: 8 });
  });

  it("leaves out a row that starts exactly at the bottom edge", () => {
    expect(windowRange(even, 0, 100, 0)).toEqual({ start: 0, end: 2 });
  });

  it("clamps the overscan to the list", () => {
    expect(windowRange(even, 400, 900, 3)).toEqual({ start: 5, end: 10 });
  });

  it("renders a first screenful at the top of a list that starts above the band's top", () => {
    expect(windowRange(even, -300, 120, 1)).toEqual({ start: 0, end: 4 });
  });

  it("keeps a few rows at the near end of a list out of view", () => {
    expect(windowRange(even, -900, -100, 3)).toEqual({ start: 0, end: 3 });
    expect(windowRange(even, 600, 900, 3)).toEqual({ start: 7, end: 10 });
  });

  it("renders at least one row for an empty band, and nothing for an empty list", () => {
    expect(windowRange(even, 120, 120, 0)).toEqual({ start: 2, end: 3 });
    expect(windowRange(layout(0, () => 1), 0, 500, 5)).toEqual({ start: 0, end: 0 });
  });

  it("renders a thousand rows as a screenful", () => {
    const big = layout(1000, () => 72);
    const r = windowRange(big, 36_000, 36_000 + 800, 6);
    expect(r).toEqual({ start: 494, end: 518 });
  });
});

describe("scrollDelta", () => {
  it("is zero for a row wholly in view", () => {
    expect(scrollDelta(even, 3, 100, 300)).toBe(0);
    expect(scrollDelta(even, 5, 100, 300)).toBe(0);
  });

  it("scrolls up to a row above and down to a row below", () => {
    expect(scrollDelta(even, 1, 100, 300)).toBe(-50);
    expect(scrollDelta(even, 6, 100, 300)).toBe(50);
    expect(scrollDelta(even, 9, 0, 200)).toBe(300);
  });

  it("aligns a row taller than the band to its top", () => {
    const o = layout(3, (i) => [50, 400, 50][i]!);
    expect(scrollDelta(o, 1, 0, 200)).toBe(50);
  });

  it("ignores an index outside the list", () => {
    expect(scrollDelta(even, -1, 0, 100)).toBe(0);
    expect(scrollDelta(even, 10, 0, 100)).toBe(0);
  });
});

describe("RowHeights", () => {
  it("estimates unmeasured rows, first by the given value, then by the mean of measured ones", () => {
    const h = new RowHeights<string>(40);
    expect(h.get("a")).toBe(40);
    expect(h.set("a", 60)).toBe(true);
    expect(h.set("b", 80)).toBe(true);
    expect(h.get("a")).toBe(60);
    expect(h.get("never")).toBe(70);
  });

  it("reports a change only when a height differs from the stored one", () => {
    const h = new RowHeights<number>(40);
    h.set(1, 50);
    expect(h.set(1, 50)).toBe(false);
    expect(h.set(1, 30)).toBe(true);
    expect(h.estimate).toBe(30);
  });
});

describe("listKeyTarget", () => {
  it("moves one row with the arrows, stopping at the ends", () => {
    expect(listKeyTarget("ArrowDown", 3, 10)).toBe(4);
    expect(listKeyTarget("ArrowUp", 3, 10)).toBe(2);
    expect(listKeyTarget("ArrowDown", 9, 10)).toBe(9);
    expect(listKeyTarget("ArrowUp", 0, 10)).toBe(0);
  });

  it("starts at the first row when none is current", () => {
    expect(listKeyTarget("ArrowDown", -1, 10)).toBe(0);
    expect(listKeyTarget("ArrowUp", -1, 10)).toBe(0);
    expect(listKeyTarget("PageDown", -1, 100)).toBe(10);
  });

  it("jumps a page, or to either end", () => {
    expect(listKeyTarget("PageDown", 5, 100)).toBe(15);
    expect(listKeyTarget("PageDown", 95, 100)).toBe(99);
    expect(listKeyTarget("PageUp", 5, 100)).toBe(0);
    expect(listKeyTarget("Home", 50, 100)).toBe(0);
    expect(listKeyTarget("End", 50, 100)).toBe(99);
  });

  it("ignores other keys and empty lists", () => {
    expect(listKeyTarget("Enter", 3, 10)).toBeNull();
    expect(listKeyTarget("a", 3, 10)).toBeNull();
    expect(listKeyTarget("ArrowDown", -1, 0)).toBeNull();
  });
});
