// The passphrase dialog's state and `act`, which every signed act of the UI goes
// through: the shell refuses a locked key with `passphrase_required`, the dialog
// asks, and the act runs again with the passphrase (kept only for that call).
import { call, type ArgsOf, type Command, type ResultOf } from "./ipc";
import { signedWhat, withPassphrase } from "./logic/sign";

type Signed =
  | "transition"
  | "approve"
  | "set_review"
  | "sign_assessment"
  | "clone_assessment"
  | "generate_report";

class PassphrasePrompt {
  open = $state(false);
  wrong = $state(false);
  /** What is being signed, e.g. "Submitting for review". */
  what = $state("This act");
  private resolve: ((p: string | null) => void) | null = null;

  ask(wrong: boolean, what: string): Promise<string | null> {
    this.wrong = wrong;
    this.what = what;
    this.open = true;
    return new Promise((resolve) => (this.resolve = resolve));
  }

  answer(passphrase: string | null) {
    this.open = false;
    this.resolve?.(passphrase);
    this.resolve = null;
  }
}

export const prompt = new PassphrasePrompt();

/** Runs a signed act, asking for the key's passphrase when the shell needs it. */
export function act<C extends Signed & Command>(cmd: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
  return withPassphrase(
    (passphrase) => (call as (c: C, a: ArgsOf<C>) => Promise<ResultOf<C>>)(cmd, { ...args, passphrase }),
    (wrong) => prompt.ask(wrong, signedWhat(cmd, args as { transition?: string })),
  );
}
