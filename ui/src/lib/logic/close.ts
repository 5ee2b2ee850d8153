// Work still pending when the window is asked to close: typing is saved after a
// short pause, and a close inside that pause must not lose it.

/** Saves what is pending; resolves to false when something could not be saved. */
export type Flush = () => Promise<boolean>;

const pending = new Set<Flush>();

/** Registers `flush` to run before the window closes; returns the unregister function. */
export function flushOnClose(flush: Flush): () => void {
  pending.add(flush);
  return () => {
    pending.delete(flush);
  };
}

/** Runs every registered flush; true when all of them saved (a throw counts as not saved). */
export async function flushAll(): Promise<boolean> {
  const results = await Promise.allSettled([...pending].map((f) => f()));
  return results.every((r) => r.status === "fulfilled" && r.value);
}
