// Every call into the Rust shell goes through `call`, which turns a rejected
// invoke into an `IpcError` so screens can show `code` and `message` in place.
import { invoke } from "@tauri-apps/api/core";
import type { IpcError } from "./bindings/IpcError";

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

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toIpcError(e);
  }
}
