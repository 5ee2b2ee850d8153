import { describe, expect, it } from "vitest";
import { flushAll, flushOnClose } from "./close";

describe("flush before close", () => {
  it("waits for every registered save and reports whether all saved", async () => {
    const done: string[] = [];
    const offA = flushOnClose(async () => {
      await new Promise((r) => setTimeout(r, 5));
      done.push("a");
      return true;
    });
    const offB = flushOnClose(async () => {
      done.push("b");
      return true;
    });
    expect(await flushAll()).toBe(true);
    expect(done.sort()).toEqual(["a", "b"]);

    const offBad = flushOnClose(async () => false);
    expect(await flushAll()).toBe(false);
    offBad();
    const offThrow = flushOnClose(async () => {
      throw new Error("disk full");
    });
    expect(await flushAll()).toBe(false);
    offThrow();
    expect(await flushAll()).toBe(true);
    offA();
    offB();
    done.length = 0;
    expect(await flushAll()).toBe(true);
    expect(done).toEqual([]);
  });
});
