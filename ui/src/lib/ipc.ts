// Every call into the Rust shell goes through `call`, which turns a rejected
// invoke into an `IpcError` so screens can show `code` and `message` in place.
// `Commands` (generated from the Rust side) types each command's name, arguments
// and result, so a wrong name or argument fails `npm run check`.
import { invoke } from "@tauri-apps/api/core";
import type { Commands } from "./bindings/Commands";
import type { IpcError } from "./bindings/IpcError";

export type Command = keyof Commands;
export type ArgsOf<C extends Command> = Commands[C]["args"];
export type ResultOf<C extends Command> = Commands[C]["result"];

export function isIpcError(e: unknown): e is IpcError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return e;
  if (e instanceof Error) return { code: "ui_error", message: e.message };
  // Tauri rejects with a plain string when the arguments do not fit the command.
  if (typeof e === "string") return { code: "ipc", message: e };
  return { code: "ui_error", message: String(e) };
}

/** Arguments may be left out only for a command whose arguments are all optional. */
type ArgsParam<C extends Command> = Record<string, never> extends ArgsOf<C> ? [args?: ArgsOf<C>] : [args: ArgsOf<C>];

export async function call<C extends Command>(cmd: C, ...args: ArgsParam<C>): Promise<ResultOf<C>> {
  try {
    return await invoke<ResultOf<C>>(cmd, args[0]);
  } catch (e) {
    throw toIpcError(e);
  }
}
