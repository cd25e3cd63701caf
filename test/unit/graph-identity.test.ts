import { LoggingPolicy } from "../../src/shared/organizations";
import type { DueMailbox } from "../../src/server/sync/mailbox-store";
import { graphIdentity } from "../../src/server/sync/worker";

const mailbox = (fields: Partial<DueMailbox>): DueMailbox => ({
  orgId: "o",
  userId: "u",
  email: "rita@contoso.example",
  externalId: "11111111-2222-3333-4444-555555555555",
  tenantId: "local:contoso.example",
  internalDomains: ["contoso.example"],
  policy: LoggingPolicy.parse({}),
  ...fields,
});

describe("which tenant and user a mailbox is read as", () => {
  it("reads an Entra organisation's mailbox in its own tenant by object id, unless the credentials are another tenant's", () => {
    const entra = mailbox({ tenantId: "TENANT-A" });
    expect(graphIdentity(entra, null)).toEqual({ tenant: "TENANT-A", user: entra.externalId });
    expect(graphIdentity(entra, "tenant-a")).toEqual({ tenant: "TENANT-A", user: entra.externalId });
    expect(graphIdentity(entra, "tenant-b")).toBeNull();
  });

  it("reads a local organisation's mailbox in the configured tenant by address, only within its own domains", () => {
    expect(graphIdentity(mailbox({}), "tenant-a")).toEqual({
      tenant: "tenant-a",
      user: "rita@contoso.example",
    });
    expect(graphIdentity(mailbox({ email: "rita@eu.contoso.example" }), "tenant-a")).toEqual({
      tenant: "tenant-a",
      user: "rita@eu.contoso.example",
    });
    // The local issuer vouches for any address: one outside the organisation's domains is never read.
    expect(graphIdentity(mailbox({ email: "ceo@fabrikam.example" }), "tenant-a")).toBeNull();
    expect(graphIdentity(mailbox({}), null)).toBeNull();
    expect(graphIdentity(mailbox({ email: null }), "tenant-a")).toBeNull();
  });
});
