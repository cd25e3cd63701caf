import { z } from "zod";
import { graphClient } from "./graph-client";

/** What the rep's own Outlook contact for an address says, to fill "Add to Rapport". */
export interface OutlookContact {
  displayName: string | null;
  jobTitle: string | null;
  companyName: string | null;
  phones: string[];
}

export interface OutlookContacts {
  find(address: string): Promise<OutlookContact | null>;
}

const GraphContacts = z.object({
  value: z.array(
    z.object({
      displayName: z.string().nullish(),
      jobTitle: z.string().nullish(),
      companyName: z.string().nullish(),
      businessPhones: z.array(z.string()).nullish(),
      mobilePhone: z.string().nullish(),
    }),
  ),
});

/**
 * The rep's Outlook contacts through Microsoft Graph (`/me/contacts`, Contacts.Read), with the Graph client
 * library. `baseUrl` is Graph's own unless a test points it at a local server.
 */
export function graphOutlookContacts(options: {
  getToken(): Promise<string>;
  baseUrl?: string;
}): OutlookContacts {
  const client = graphClient(options);
  return {
    async find(address) {
      // OData string literals double their quotes; nothing else in an address needs escaping.
      const literal = address.toLowerCase().replace(/'/g, "''");
      const answer: unknown = await client
        .api("/me/contacts")
        .filter(`emailAddresses/any(a:a/address eq '${literal}')`)
        .select(["displayName", "jobTitle", "companyName", "businessPhones", "mobilePhone"])
        .top(1)
        .get();
      const contact = GraphContacts.parse(answer).value[0];
      if (!contact) return null;
      const phones = [
        ...(contact.businessPhones ?? []),
        ...(contact.mobilePhone ? [contact.mobilePhone] : []),
      ];
      return {
        displayName: contact.displayName || null,
        jobTitle: contact.jobTitle || null,
        companyName: contact.companyName || null,
        phones: phones.filter(Boolean),
      };
    },
  };
}
