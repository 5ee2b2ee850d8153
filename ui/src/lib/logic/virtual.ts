// Which rows of a long list to render: only those in view, plus a few either side.
// Rows have measured heights where they have been rendered and an estimate elsewhere;
// spacers of the summed heights above and below the rendered rows keep the scrollbar true.

export interface Range {
  /** First rendered row. */
  start: number;
  /** One past the last rendered row. */
  end: number;
}

/** Top of every row and, last, the list's total height: `out[i]` is the top of row `i`. */
export function layout(count: number, height: (i: number) => number): Float64Array {
  const out = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) out[i + 1] = out[i]! + height(i);
  return out;
}

/** The row at height `y` of the list, clamped to the first and last row; -1 when empty. */
export function rowAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return -1;
  let lo = 0;
  let hi = count - 1;
  // The last row whose top is at or above y.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The rows that meet the band [top, bottom) of the list, widened by `overscan` rows each way. */
export function windowRange(offsets: Float64Array, top: number, bottom: number, overscan: number): Range {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  // A list out of view keeps a few rows at its near end, so it is not blank when scrolled to.
  if (bottom <= 0) return { start: 0, end: Math.min(count, overscan) };
  if (top >= offsets[count]!) return { start: Math.max(0, count - overscan), end: count };
  const first = rowAt(offsets, Math.max(0, top));
  let last = rowAt(offsets, bottom);
  // A row starting exactly at the bottom edge is not in view.
  if (last > first && offsets[last]! >= bottom) last--;
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) };
}

/** How far to scroll so that row `i` is wholly inside the band [top, bottom); 0 when it already is.
 *  A row taller than the band is aligned to its top. */
export function scrollDelta(offsets: Float64Array, i: number, top: number, bottom: number): number {
  const count = offsets.length - 1;
  if (i < 0 || i >= count) return 0;
  const rowTop = offsets[i]!;
  const rowBottom = offsets[i + 1]!;
  if (rowTop < top || rowBottom - rowTop > bottom - top) return rowTop - top;
  if (rowBottom > bottom) return rowBottom - bottom;
  return 0;
}

/** Measured heights by row key; rows not yet measured count as the mean of those that are
 *  (or the starting estimate before any is). */
export class RowHeights<K> {
  private readonly measured = new Map<K, number>();
  private sum = 0;

  constructor(private readonly initial: number) {}

  get estimate(): number {
    return this.measured.size ? this.sum / this.measured.size : this.initial;
  }

  get(key: K): number {
    return this.measured.get(key) ?? this.estimate;
  }

  /** Records a row's height; true when that changes the layout. */
  set(key: K, height: number): boolean {
    const old = this.measured.get(key);
    if (old === height) return false;
    this.sum += height - (old ?? 0);
    this.measured.set(key, height);
    return true;
  }
}

/** The row a navigation key moves to from row `current` (-1 when none) of `count`; null for
 *  other keys or an empty list. Page keys move by `page` rows. */
export function listKeyTarget(key: string, current: number, count: number, page = 10): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  const clamp = (i: number) => Math.min(last, Math.max(0, i));
  switch (key) {
    case "ArrowDown":
      return current < 0 ? 0 : clamp(current + 1);
    case "ArrowUp":
      return current < 0 ? 0 : clamp(current - 1);
    case "PageDown":
      return clamp(Math.max(current, 0) + page);
    case "PageUp":
      return clamp(current - page);
    case "Home":
      return 0;
    case "End":
      return last;
    default:
      return null;
  }
}
