// Support-period warnings on the dashboard.

/** Days before the end of support at which the dashboard starts warning. */
export const SUPPORT_WARN_DAYS = 180;

export type SupportWarning = "past" | "soon" | "none" | "unknown";

/** Parses `YYYY-MM-DD` as a UTC date; null for anything else. */
export function parseDay(s: string | null | undefined): Date | null {
  if (!s) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // Rejects 2025-02-30 and friends, which Date would roll over.
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? d : null;
}

/** Days before an evidence item expires at which it is flagged. */
export const EXPIRY_WARN_DAYS = 30;

/** "past" once the `end` day is before today, "soon" within `warnDays` of it. */
export function dateWarning(end: string | null | undefined, today: Date, warnDays: number): SupportWarning {
  const e = parseDay(end);
  if (!e) return "unknown";
  // The person's own calendar day: late in the evening west of Greenwich it is
  // still "today" for them, whatever the UTC date says.
  const t = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  const days = Math.round((e.getTime() - t) / 86_400_000);
  if (days < 0) return "past";
  if (days <= warnDays) return "soon";
  return "none";
}

/** Support ends "past" once the end day is before today, "soon" within SUPPORT_WARN_DAYS. */
export function supportWarning(end: string | null | undefined, today: Date): SupportWarning {
  return dateWarning(end, today, SUPPORT_WARN_DAYS);
}

/** An evidence item's expiry: "past", "soon" (within EXPIRY_WARN_DAYS), "none", or "unknown" without one. */
export function expiryWarning(expires: string | null | undefined, today: Date): SupportWarning {
  return dateWarning(expires, today, EXPIRY_WARN_DAYS);
}
