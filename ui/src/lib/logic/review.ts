// What an auditor still has to look at.
import type { RequirementRow } from "../bindings/RequirementRow";

/**
 * A requirement needs review when the team answered it and it has no verdict yet,
 * or the answer changed after the verdict was given.
 */
export function needsReview(row: RequirementRow): boolean {
  if (!row.response || row.status === "not_assessed") return false;
  if (!row.review) return true;
  return row.response.updated_at > row.review.reviewed_at;
}
