// App-wide state: where we are, the open workbook, the catalogue (loaded once).
import type { CatalogueData } from "./bindings/CatalogueData";
import type { Framework } from "./bindings/Framework";
import type { Requirement } from "./bindings/Requirement";
import type { Session } from "./bindings/Session";
import type { IpcError } from "./bindings/IpcError";

export type Screen = "workbooks" | "dashboard" | "product" | "catalogue" | "review" | "reports" | "history" | "profile" | "received";

class AppState {
  screen = $state<Screen>("dashboard");
  session = $state<Session | null>(null);
  catalogue = $state<CatalogueData | null>(null);
  /** Set when the session could not be loaded at all. */
  fatal = $state<IpcError | null>(null);
  /** The product the workbook, review and reports screens show. */
  productId = $state<number | null>(null);
  /** The requirement chosen in the catalogue screen (it jumps there from mappings). */
  catalogueRequirement = $state<string | null>(null);
  /** Milliseconds from navigation start to the first dashboard render with data. */
  readyMs = $state<number | null>(null);

  private index = $derived.by(() => {
    const m = new Map<string, { framework: Framework; requirement: Requirement }>();
    for (const framework of this.catalogue?.frameworks ?? []) {
      for (const requirement of framework.requirements) {
        m.set(`${framework.id}:${requirement.ref}`, { framework, requirement });
      }
    }
    return m;
  });

  framework(id: string): Framework | undefined {
    return this.catalogue?.frameworks.find((f) => f.id === id);
  }

  requirement(id: string): { framework: Framework; requirement: Requirement } | undefined {
    return this.index.get(id);
  }

  go(screen: Screen, productId?: number) {
    if (productId !== undefined) this.productId = productId;
    this.screen = screen;
  }
}

export const app = new AppState();
