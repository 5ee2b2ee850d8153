import type { Relationship } from "../bindings/Relationship";

/** NIST IR 8477 relationships in words, read from the requirement shown. */
export function relationshipLabel(r: Relationship): string {
  switch (r) {
    case "equal":
      return "Equal to";
    case "subset-of":
      return "Part of";
    case "superset-of":
      return "Covers";
    case "intersects-with":
      return "Overlaps";
    case "no-relationship":
      return "Unrelated to";
  }
}
