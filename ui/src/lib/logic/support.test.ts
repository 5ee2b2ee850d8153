import { describe, expect, it } from "vitest";
import { expiryWarning, parseDay, supportWarning, SUPPORT_WARN_DAYS } from "./support";

const today = new Date(2026, 10, 25, 15, 30); // 2026-11-25, afternoon, local time

describe("supportWarning", () => {
  it("warns past once the end day is before today", () => {
    expect(supportWarning("2026-11-24", today)).toBe("past");
    expect(supportWarning("2020-01-01", today)).toBe("past");
  });

  it("treats the end day itself and the next 180 days as soon", () => {
    expect(supportWarning("2026-11-25", today)).toBe("soon");
    const edge = new Date(Date.UTC(2026, 10, 25) + SUPPORT_WARN_DAYS * 86_400_000).toISOString().slice(0, 10);
    expect(supportWarning(edge, today)).toBe("soon");
    const after = new Date(Date.UTC(2026, 10, 25) + (SUPPORT_WARN_DAYS + 1) * 86_400_000).toISOString().slice(0, 10);
    expect(supportWarning(after, today)).toBe("none");
  });

  it("is unknown when the date is missing or malformed", () => {
    expect(supportWarning(undefined, today)).toBe("unknown");
    expect(supportWarning("", today)).toBe("unknown");
    expect(supportWarning("31/12/2030", today)).toBe("unknown");
    expect(supportWarning("2025-02-30", today)).toBe("unknown");
  });
});

describe("parseDay", () => {
  it("parses real calendar days only", () => {
    expect(parseDay("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseDay("2023-02-29")).toBeNull();
    expect(parseDay("2023-13-01")).toBeNull();
  });
});

describe("expiryWarning", () => {
  const today = new Date(2026, 10, 25, 15, 0);
  it("flags expired evidence and evidence expiring within a month", () => {
    expect(expiryWarning("2026-11-24", today)).toBe("past");
    expect(expiryWarning("2026-11-25", today)).toBe("soon");
    expect(expiryWarning("2026-12-25", today)).toBe("soon");
    expect(expiryWarning("2026-12-26", today)).toBe("none");
    expect(expiryWarning(undefined, today)).toBe("unknown");
  });

  it("counts days in the person's own calendar, not UTC's", () => {
    // 23:30 local time on 25 November, in whatever zone the tests run.
    const lateEvening = new Date(2026, 10, 25, 23, 30);
    expect(expiryWarning("2026-11-25", lateEvening)).toBe("soon");
    expect(expiryWarning("2026-11-24", lateEvening)).toBe("past");
    const earlyMorning = new Date(2026, 10, 25, 0, 30);
    expect(expiryWarning("2026-11-24", earlyMorning)).toBe("past");
    expect(expiryWarning("2026-11-25", earlyMorning)).toBe("soon");
  });
});
