import { describe, expect, it } from "vitest";
import { dialogTarget, slug, suggestedName } from "./exportfile";

describe("suggestedName", () => {
  it("names a product's export after its model, else its name", () => {
    expect(suggestedName("xlsx", { name: "Smart Plug", model: "SP-200" })).toBe("sp-200.xlsx");
    expect(suggestedName("oscal", { name: "Smart Plug", model: " " })).toBe("smart-plug.json");
    expect(suggestedName("csv", { name: "Prise connectée", model: "" })).toBe("prise-connectee.csv");
    expect(suggestedName("csv", { name: "✓", model: "" })).toBe("product.csv");
  });

  it("names the portfolio and product-file folders", () => {
    expect(suggestedName("xlsx", null)).toBe("portfolio.xlsx");
    expect(suggestedName("product_file", { name: "Plug", model: "P/1" })).toBe("p-1-product-file");
  });

  it("keeps only letters and digits", () => {
    expect(slug("  ../Acme  Cam 2.0  ")).toBe("acme-cam-2-0");
  });
});

describe("dialogTarget", () => {
  it("replaces only the name the dialog confirmed", () => {
    expect(dialogTarget("/tmp/a.xlsx", "xlsx")).toEqual({ path: "/tmp/a.xlsx", replace: true });
    expect(dialogTarget("/tmp/A.XLSX", "xlsx")).toEqual({ path: "/tmp/A.XLSX", replace: true });
    expect(dialogTarget("/tmp/a", "xlsx")).toEqual({ path: "/tmp/a.xlsx", replace: false });
    expect(dialogTarget("/tmp/a.xlsx", "oscal")).toEqual({ path: "/tmp/a.xlsx.json", replace: false });
  });
});
