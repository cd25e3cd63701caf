import { createProfileCache } from "../../src/addin/core/profile-cache";
import { type KeyValueStorage, memoryStorage } from "../../src/addin/core/storage";
import type { ContactProfile, LookupResult } from "../../src/shared/people";

const at = "2026-11-20T09:00:00.000Z";
function known(email: string, interactions = 0): LookupResult {
  const contact: ContactProfile = {
    id: crypto.randomUUID(),
    displayName: email.split("@")[0] ?? email,
    firstName: null,
    lastName: null,
    title: null,
    emails: [email],
    phones: [],
    tags: [],
    lifecycleStage: "customer",
    companyId: null,
    ownerId: null,
    source: "manual",
    customFields: {},
    createdAt: at,
    updatedAt: at,
    version: 1,
    company: null,
    owner: null,
    openDeals: [],
    openTasks: [],
    recentInteractions: Array.from({ length: interactions }, (_, i) => ({
      id: crypto.randomUUID(),
      kind: "email" as const,
      direction: "in" as const,
      occurredAt: at,
      subject: `Mail ${i}`,
      body: "x".repeat(5000),
      outcome: null,
      internetMessageId: `<m${i}@x.example>`,
      rapportKey: null,
      conversationId: null,
      source: "manual" as const,
      dealId: null,
      dealIds: [],
      companies: [],
      loggedBy: [],
      participants: [],
      meeting: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    })),
  };
  return { email, contact, suggestion: null };
}

describe("the pane's cache of recently seen profiles", () => {
  let clock = Date.parse(at);
  const open = (storage: KeyValueStorage, maxProfiles = 3) =>
    createProfileCache({ storage, owner: "rita@contoso.example", maxProfiles, now: () => clock });

  it("recalls a profile by any spelling of the address, as it was saved, with shortened excerpts", () => {
    const cache = open(memoryStorage());
    cache.remember([
      known("anna@fabrikam.example", 15),
      { email: "x@y.example", contact: null, suggestion: null },
    ]);
    const recalled = cache.recall(['"Anna Berg" <Anna@Fabrikam.example>', "bo@fabrikam.example"]);
    expect(recalled?.savedAt).toBe(at);
    expect(recalled?.results.map((r) => [r.email, r.contact?.displayName ?? null])).toEqual([
      ["anna@fabrikam.example", "anna"],
      ["bo@fabrikam.example", null],
    ]);
    const interactions = recalled?.results[0]?.contact?.recentInteractions ?? [];
    expect(interactions).toHaveLength(10);
    expect(interactions[0]?.body?.length).toBeLessThanOrEqual(201);
    expect(cache.recall(["x@y.example"])).toBeNull();
  });

  it("keeps the most recently seen profiles within its bound, and forgets what is too old", () => {
    const storage = memoryStorage();
    const cache = open(storage);
    for (const name of ["a", "b", "c", "d"]) cache.remember([known(`${name}@x.example`)]);
    expect(cache.recall(["a@x.example"])).toBeNull();
    expect(cache.recall(["d@x.example", "b@x.example"])?.results.every((r) => r.contact)).toBe(true);
    clock += 15 * 24 * 3600_000;
    expect(open(storage).recall(["d@x.example"])).toBeNull();
  });

  it("keeps each rep's profiles apart, survives damaged storage and a full one", () => {
    const storage = memoryStorage();
    open(storage).remember([known("anna@fabrikam.example")]);
    const other = createProfileCache({ storage, owner: "olga@other.example", now: () => clock });
    expect(other.recall(["anna@fabrikam.example"])).toBeNull();

    storage.setItem("rapport.profiles.v1:rita@contoso.example", "{broken");
    expect(open(storage).recall(["anna@fabrikam.example"])).toBeNull();

    const full: KeyValueStorage = {
      ...memoryStorage(),
      setItem: () => {
        throw new DOMException("full", "QuotaExceededError");
      },
    };
    expect(() => open(full).remember([known("anna@fabrikam.example")])).not.toThrow();
  });

  it("forgets a person the server no longer knows (deleted or erased)", () => {
    const cache = open(memoryStorage());
    cache.remember([known("anna@fabrikam.example"), known("bo@fabrikam.example")]);
    cache.remember([{ email: "anna@fabrikam.example", contact: null, suggestion: null }]);
    expect(cache.recall(["anna@fabrikam.example"])).toBeNull();
    expect(cache.recall(["bo@fabrikam.example"])?.results[0]?.contact).not.toBeNull();
  });
});
