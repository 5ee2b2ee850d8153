// Words for the store's enum values.
import type { AssessmentState } from "../bindings/AssessmentState";
import type { Verdict } from "../bindings/Verdict";
import type { CanaryState } from "../bindings/CanaryState";

export const STATE_LABEL: Record<AssessmentState, string> = {
  draft: "Draft",
  submitted: "Submitted for review",
  in_review: "In review",
  approved: "Approved",
  changes_requested: "Changes requested",
};

export const VERDICT_LABEL: Record<Verdict, string> = {
  accepted: "Accepted",
  rejected: "Rejected",
  needs_info: "Needs more information",
};

export const CANARY_LABEL: Record<CanaryState, string> = {
  pass: "Pass (met and accepted by a reviewer)",
  claimed: "Claimed (met, not yet reviewed)",
  fail: "Fail",
  unknown: "Unknown",
};

/** Short names of the three CoP canaries, by requirement reference. */
export function canaryShort(requirement: string): string {
  switch (requirement.split(":")[1]) {
    case "1":
      return "No default passwords";
    case "2":
      return "Vulnerability disclosure";
    case "3":
      return "Software updates";
    default:
      return requirement;
  }
}
