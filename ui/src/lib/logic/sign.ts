// Acts (submit, verdicts, approve, request changes, sign, clone) are signed with
// the person's key. The shell asks for its passphrase with `passphrase_required`
// (or `wrong_passphrase` after a bad one); `withPassphrase` then asks the person
// and runs the act again with it. The passphrase is only passed along, never kept.
import type { IpcError } from "../bindings/IpcError";

export type Ask = (wrong: boolean) => Promise<string | null>;

function code(e: unknown): string | null {
  return typeof e === "object" && e !== null && "code" in e ? String((e as IpcError).code) : null;
}

/** The key id named in a `passphrase_required` message, if any. */
export function keyIdOf(message: string): string | null {
  return /key ([0-9A-F]{16})/.exec(message)?.[1] ?? null;
}

/**
 * Runs `act` without a passphrase; when the key needs one, asks for it (again after
 * a wrong one) until the act succeeds or the person cancels (`signing_cancelled`).
 */
export async function withPassphrase<T>(act: (passphrase: string | null) => Promise<T>, ask: Ask): Promise<T> {
  let passphrase: string | null = null;
  for (;;) {
    try {
      return await act(passphrase);
    } catch (e) {
      const c = code(e);
      if (c !== "passphrase_required" && c !== "wrong_passphrase") throw e;
      passphrase = await ask(c === "wrong_passphrase");
      if (passphrase === null) {
        const cancelled: IpcError = { code: "signing_cancelled", message: "Not signed: nothing was recorded." };
        throw cancelled;
      }
    }
  }
}
