// Compile-time checks of `call`'s typing: `npm run check` fails if any line
// marked @ts-expect-error stops being an error (the typing was lost) or if a
// correct call stops compiling. Never executed.
import { call } from "./ipc";
import type { Evidence } from "./bindings/Evidence";

export async function typedCalls(): Promise<Evidence> {
  // @ts-expect-error: no such command
  await call("add_evidence_note", { assessment: 1, requirement: "x", note: "n" });
  // @ts-expect-error: a required argument is missing
  await call("open_evidence", { assessment: 1, requirement: "x" });
  // @ts-expect-error: an argument of the wrong type
  await call("remove_evidence", { evidence: "1" });
  // @ts-expect-error: an unknown evidence kind
  await call("add_evidence", { assessment: 1, requirement: "x", input: { content: { kind: "disk", path: "/x" } } });
  // @ts-expect-error: an argument the command does not take
  await call("remove_evidence", { evidence: 1, reason: "x" });
  // @ts-expect-error: a command without arguments takes none
  await call("dashboard", { product: 1 });
  // @ts-expect-error: arguments are required
  await call("remove_evidence");
  await call("dashboard");
  await call("trail", {});
  return call("add_evidence", { assessment: 1, requirement: "x", input: { content: { kind: "note", text: "checked" } } });
}
