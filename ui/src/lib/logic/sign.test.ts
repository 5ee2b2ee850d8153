import { describe, expect, it } from "vitest";
import { keyIdOf, signedWhat, withPassphrase } from "./sign";

describe("withPassphrase", () => {
  it("runs an act without asking when no key needs unlocking", async () => {
    let asked = 0;
    const out = await withPassphrase(async (p) => `done ${p}`, async () => (asked++, "x"));
    expect(out).toBe("done null");
    expect(asked).toBe(0);
  });

  it("asks, retries with the passphrase, and asks again after a wrong one", async () => {
    const seen: (string | null)[] = [];
    const wrongs: boolean[] = [];
    const answers = ["bad", "good"];
    const out = await withPassphrase(
      async (p) => {
        seen.push(p);
        if (p === null) throw { code: "passphrase_required", message: "key 0123456789ABCDEF" };
        if (p === "bad") throw { code: "wrong_passphrase", message: "no" };
        return "signed";
      },
      async (wrong) => (wrongs.push(wrong), answers.shift() ?? null),
    );
    expect(out).toBe("signed");
    expect(seen).toEqual([null, "bad", "good"]);
    expect(wrongs).toEqual([false, true]);
  });

  it("stops when the person cancels, and passes other errors on", async () => {
    await expect(
      withPassphrase(async () => Promise.reject({ code: "passphrase_required", message: "" }), async () => null),
    ).rejects.toMatchObject({ code: "signing_cancelled" });
    await expect(
      withPassphrase(async () => Promise.reject({ code: "locked", message: "signed" }), async () => "x"),
    ).rejects.toMatchObject({ code: "locked" });
  });

  it("reads the key id from the message", () => {
    expect(keyIdOf("this act is signed with your key 0123456789ABCDEF: its passphrase is needed")).toBe("0123456789ABCDEF");
    expect(keyIdOf("nothing")).toBeNull();
  });
});

describe("signedWhat", () => {
  it("names the act the dialog asks to sign", () => {
    expect(signedWhat("transition", { transition: "submit" })).toBe("Submitting for review");
    expect(signedWhat("transition", { transition: "request_changes" })).toBe("Requesting changes");
    expect(signedWhat("set_review", {})).toBe("Your verdict");
    expect(signedWhat("sign_assessment", {})).toBe("Signing off");
    expect(signedWhat("generate_report", {})).toBe("The report");
    expect(signedWhat("something_new", {})).toBe("This act");
  });
});
