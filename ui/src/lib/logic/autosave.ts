// Save-as-you-type: edits are debounced, saves never overlap, the latest value wins,
// and a failed save keeps the value dirty so nothing typed is lost.
import { debounce } from "./debounce";

export type SaveState = "saved" | "dirty" | "saving" | "error";

export class AutoSaver<T> {
  state: SaveState = "saved";
  error: unknown = null;
  private latest: T | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly trigger;

  constructor(
    private readonly save: (value: T) => Promise<void>,
    delayMs: number,
    private readonly onChange: (state: SaveState, error: unknown) => void = () => {},
  ) {
    this.trigger = debounce(() => void this.run(), delayMs);
  }

  /** Records an edit; it is saved once typing pauses. */
  edit(value: T): void {
    this.latest = value;
    this.set("dirty", null);
    this.trigger();
  }

  /** Saves any pending edit now and waits for every save to finish. */
  async flush(): Promise<void> {
    this.trigger.cancel();
    await this.run();
  }

  /** Forgets a pending edit, e.g. when the shown record is replaced from the store. */
  reset(): void {
    this.trigger.cancel();
    this.latest = null;
    this.set("saved", null);
  }

  private async run(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.latest === null) return;
    const value = this.latest;
    this.latest = null;
    this.set("saving", null);
    this.inFlight = this.save(value).then(
      () => {
        // An edit made while saving keeps the state dirty until its own save.
        if (this.latest === null) this.set("saved", null);
      },
      (e: unknown) => {
        if (this.latest === null) this.latest = value;
        this.set("error", e);
      },
    );
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
    if (this.latest !== null && this.state !== "error") await this.run();
  }

  private set(state: SaveState, error: unknown): void {
    this.state = state;
    this.error = error;
    this.onChange(state, error);
  }
}
