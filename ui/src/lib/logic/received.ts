// The Received screen's filters: pure functions over the register's rows, so
// 5,000 documents filter in a few milliseconds (figure in received.test.ts).
import type { RegisterRow } from "../bindings/RegisterRow";
import type { KeyTrust } from "../bindings/KeyTrust";
import type { SupportFlag } from "../bindings/SupportFlag";
import type { SignatureStatus } from "../bindings/SignatureStatus";

export type ReceivedFlag = "unsigned" | "untrusted" | "canary" | "support";

/** Each ticked flag narrows the list: a row is shown only if it has all of them. */
export type ReceivedFilter = { flags: ReadonlySet<ReceivedFlag>; query: string };

export const FLAG_LABEL: Record<ReceivedFlag, string> = {
  unsigned: "Unsigned",
  untrusted: "Untrusted key",
  canary: "A canary not passed",
  support: "Support ending",
};

export const TRUST_LABEL: Record<KeyTrust, string> = {
  own: "Your own key",
  trusted: "Trusted key",
  untrusted: "Untrusted key",
  other_key_pinned: "NOT the pinned key",
  none: "No key",
};

/** How the story says it: "the key was …", "the key is …". */
export const TRUST_PHRASE: Record<KeyTrust, string> = {
  own: "your own",
  trusted: "trusted",
  untrusted: "not one you trust",
  other_key_pinned: "NOT the one you pinned for its organisation",
  none: "absent",
};

export const SUPPORT_LABEL: Record<SupportFlag, string> = {
  past: "Support ended",
  soon: "Ends within 12 months",
  later: "Supported",
  unknown: "End not stated",
};

/** Whether `row` has `flag`. */
export function hasFlag(row: RegisterRow, flag: ReceivedFlag): boolean {
  switch (flag) {
    case "unsigned":
      return row.signature !== "valid";
    case "untrusted":
      // Signed, by a key you do not trust (or not the one pinned for its organisation).
      return row.signature === "valid" && !row.trusted;
    case "canary":
      return row.canaries.some((c) => c.verdict !== "pass");
    case "support":
      return row.support === "past" || row.support === "soon";
  }
}

/** The lower-cased text a search looks in; computed once per row. */
export function searchText(row: RegisterRow): string {
  return [row.manufacturer, row.product, row.model, row.kind, row.signer, row.signer_organisation, row.key_id, row.file_name]
    .filter((s): s is string => !!s)
    .join("\n")
    .toLowerCase();
}

/**
 * The rows `filter` keeps, in order. `texts[i]` is `searchText(rows[i])` (pass it
 * to keep typing fast); every word of the query must occur.
 */
export function filterReceived(rows: readonly RegisterRow[], filter: ReceivedFilter, texts?: readonly string[]): RegisterRow[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  const flags = [...filter.flags];
  const out: RegisterRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!flags.every((f) => hasFlag(row, f))) continue;
    if (words.length) {
      const t = texts?.[i] ?? searchText(row);
      if (!words.every((w) => t.includes(w))) continue;
    }
    out.push(row);
  }
  return out;
}

/** How many rows have each flag (shown on the filter buttons). */
export function flagCounts(rows: readonly RegisterRow[]): Record<ReceivedFlag, number> {
  const counts: Record<ReceivedFlag, number> = { unsigned: 0, untrusted: 0, canary: 0, support: 0 };
  for (const row of rows) {
    for (const f of Object.keys(counts) as ReceivedFlag[]) if (hasFlag(row, f)) counts[f]++;
  }
  return counts;
}

/**
 * What a document's claims (manufacturer, canaries, support period) rest on, said
 * beside them: they are what the document states, worth what its signature is.
 * `signature` is the stored copy's as checked now, `trust` the signing key's.
 */
export function claimsBasis(
  signature: SignatureStatus,
  trust: KeyTrust,
  trustedAs: string | null,
): { tone: "ok" | "warn" | "bad"; text: string } {
  if (signature === "unsigned") {
    return { tone: "warn", text: "Unsigned: nothing shows who wrote these claims or that they are unchanged." };
  }
  if (signature === "invalid") {
    return { tone: "bad", text: "The stored copy no longer matches its signature: do not rely on these claims." };
  }
  switch (trust) {
    case "own":
      return { tone: "ok", text: "Signed with your own key, unchanged since." };
    case "trusted":
      return { tone: "ok", text: `Signed with a key you trust${trustedAs ? ` (${trustedAs})` : ""}, unchanged since: the signer stands behind these claims.` };
    case "other_key_pinned":
      return { tone: "bad", text: "Signed, but NOT with the key you pinned for its organisation: these claims may not be theirs." };
    default:
      return { tone: "warn", text: "Signed and unchanged since, but with a key you have not confirmed: anyone could have made it." };
  }
}
