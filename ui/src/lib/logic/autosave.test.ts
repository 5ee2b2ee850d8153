import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AutoSaver, type SaveState } from "./autosave";
import { debounce } from "./debounce";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("debounce", () => {
  it("calls once with the last arguments after the pause", () => {
    const fn = vi.fn();
    const d = debounce(fn, 100);
    d(1);
    d(2);
    vi.advanceTimersByTime(99);
    expect(fn).not.toHaveBeenCalled();
    d(3);
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith(3);
  });

  it("flush runs a pending call now; cancel drops it", () => {
    const fn = vi.fn();
    const d = debounce(fn, 100);
    d("a");
    d.flush();
    expect(fn).toHaveBeenCalledWith("a");
    d("b");
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(d.pending()).toBe(false);
  });
});

describe("AutoSaver", () => {
  it("saves the latest value once typing pauses and reports dirty → saving → saved", async () => {
    const saved: string[] = [];
    const states: SaveState[] = [];
    const s = new AutoSaver<string>(async (v) => void saved.push(v), 300, (st) => states.push(st));
    s.edit("a");
    s.edit("ab");
    s.edit("abc");
    expect(s.state).toBe("dirty");
    await vi.advanceTimersByTimeAsync(300);
    expect(saved).toEqual(["abc"]);
    expect(s.state).toBe("saved");
    expect(states.at(-2)).toBe("saving");
  });

  it("never runs two saves at once and saves an edit made during a save afterwards", async () => {
    let running = 0;
    let maxRunning = 0;
    const saved: string[] = [];
    let release!: () => void;
    const s = new AutoSaver<string>(
      (v) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        return new Promise<void>((resolve) => {
          release = () => {
            saved.push(v);
            running -= 1;
            resolve();
          };
        });
      },
      10,
    );
    s.edit("one");
    await vi.advanceTimersByTimeAsync(10);
    expect(s.state).toBe("saving");
    s.edit("two");
    await vi.advanceTimersByTimeAsync(10);
    expect(s.state).toBe("dirty");
    release();
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual(["one", "two"]);
    expect(maxRunning).toBe(1);
    expect(s.state).toBe("saved");
  });

  it("keeps a failed value, reports the error and retries it on flush", async () => {
    let fail = true;
    const saved: string[] = [];
    const s = new AutoSaver<string>(async (v) => {
      if (fail) throw { code: "justification_required", message: "status not_met needs a justification" };
      saved.push(v);
    }, 50);
    s.edit("x");
    await vi.advanceTimersByTimeAsync(50);
    expect(s.state).toBe("error");
    expect(s.error).toMatchObject({ code: "justification_required" });
    fail = false;
    await s.flush();
    expect(saved).toEqual(["x"]);
    expect(s.state).toBe("saved");
    expect(s.error).toBeNull();
  });

  it("reset forgets a pending edit", async () => {
    const save = vi.fn(async () => {});
    const s = new AutoSaver<string>(save, 50);
    s.edit("gone");
    s.reset();
    await vi.advanceTimersByTimeAsync(100);
    expect(save).not.toHaveBeenCalled();
    expect(s.state).toBe("saved");
  });
});
