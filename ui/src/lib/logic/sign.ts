// Acts (submit, verdicts, approve, request changes, sign, clone) are signed with
// the person's key. The shell asks for its passphrase with `passphrase_required`
// (or `wrong_passphrase` after a bad one); `withPassphrase` then asks the person
// and runs the act again with it. The passphrase is only passed along, never kept.
import type { IpcError } from "../bindings/IpcError";

export type Ask = (wrong: boolean) => Promise<string | null>;

/** The code of an act the person chose not to sign: an outcome, not a failure. */
export const SIGNING_CANCELLED = "signing_cancelled";

/** What the passphrase dialog says is being signed, from the shell command and its arguments. */
export function signedWhat(cmd: string, args: { transition?: string }): string {
  switch (cmd) {
    case "transition":
      switch (args.transition) {
        case "submit":
          return "Submitting for review";
        case "start_review":
          return "Starting the review";
        case "request_changes":
          return "Requesting changes";
        case "approve":
          return "Approving";
        default:
          return "This act";
      }
    case "approve":
      return "Approving";
    case "set_review":
      return "Your verdict";
    case "sign_assessment":
      return "Signing off";
    case "clone_assessment":
      return "Starting the next assessment";
    case "generate_report":
      return "The report";
    default:
      return "This act";
  }
}

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
        const cancelled: IpcError = { code: SIGNING_CANCELLED, message: "Not signed: you cancelled, so nothing was recorded." };
        throw cancelled;
      }
    }
  }
}
