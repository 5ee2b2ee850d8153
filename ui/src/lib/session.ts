// Opening workbooks: shared by the start screen and the sidebar.
import { open, save } from "@tauri-apps/plugin-dialog";
import { app } from "./app.svelte";
import { call } from "./ipc";

export const WORKBOOK_FILTER = [{ name: "Canary workbook", extensions: ["canary"] }];

export async function openWorkbook(path: string, create: boolean): Promise<void> {
  app.session = await call("open_workbook", { path, create });
  app.productId = null;
  app.screen = "dashboard";
}

/** Asks for a file with the native dialog; null when cancelled. */
export async function pickWorkbook(create: boolean): Promise<string | null> {
  const chosen = create
    ? await save({ title: "New workbook", filters: WORKBOOK_FILTER, defaultPath: "workbook.canary" })
    : await open({ title: "Open workbook", filters: WORKBOOK_FILTER, multiple: false, directory: false });
  if (!chosen) return null;
  if (!create || chosen.endsWith(".canary")) return chosen;
  return `${chosen}.canary`;
}
