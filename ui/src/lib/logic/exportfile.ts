// The export dialog's choices: what each form is, the file (or folder) name it
// suggests, and where a dialog's answer writes.
import type { FileFormat } from "../bindings/FileFormat";

/** A single-file export, or a product file (a folder with product.yaml and evidence). */
export type ExportChoice = FileFormat | "product_file";

export type ExportOption = { choice: ExportChoice; title: string; blurb: string; extension: string | null };

export const PRODUCT_OPTIONS: ExportOption[] = [
  { choice: "xlsx", title: "Spreadsheet (XLSX)", blurb: "A Portfolio sheet with this product and a sheet of its requirements.", extension: "xlsx" },
  { choice: "csv", title: "Table (CSV)", blurb: "The requirements table as UTF-8 CSV, for any spreadsheet or script.", extension: "csv" },
  { choice: "oscal", title: "OSCAL assessment results", blurb: "OSCAL 1.2.1 JSON for auditors' tools: findings, evidence, verdicts.", extension: "json" },
  { choice: "product_file", title: "Product file", blurb: "product.yaml with its evidence files, in a new or empty folder.", extension: null },
];

export const PORTFOLIO_OPTIONS: ExportOption[] = [
  { choice: "xlsx", title: "Spreadsheet (XLSX)", blurb: "A Portfolio sheet with every product, then a sheet per product.", extension: "xlsx" },
];

export function option(choice: ExportChoice): ExportOption {
  return [...PRODUCT_OPTIONS, ...PORTFOLIO_OPTIONS].find((o) => o.choice === choice)!;
}

/** A file-name-safe form of a product's model, else its name. */
export function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The name the save dialog suggests. */
export function suggestedName(choice: ExportChoice, product: { name: string; model: string } | null): string {
  const base = product ? slug(product.model) || slug(product.name) || "product" : "portfolio";
  const ext = option(choice).extension;
  return ext ? `${base}.${ext}` : `${base}-product-file`;
}

/**
 * Where a path chosen in the save dialog writes. The dialog has already asked
 * before replacing the file it names; when the extension has to be added, the
 * name is another one, which nobody confirmed.
 */
export function dialogTarget(chosen: string, choice: ExportChoice): { path: string; replace: boolean } {
  const ext = option(choice).extension;
  if (!ext || chosen.toLowerCase().endsWith(`.${ext}`)) return { path: chosen, replace: true };
  return { path: `${chosen}.${ext}`, replace: false };
}
