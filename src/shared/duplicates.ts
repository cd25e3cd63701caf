import { z } from "zod";
import { Id, Version } from "./common";
import { Company } from "./companies";
import { Contact } from "./contacts";

// Likely duplicates and their merge (issue 17). The rules themselves are the store's (migration 0029: the
// duplicates list and the import both ask them), so a stored record and an imported row are compared alike.

/**
 * Why two contacts look like one person: an address in another form (`email`: the same mailbox without its plus
 * tag, or Gmail's dots), the same phone in E.164-ish form (`phone`), or the same name at the same company
 * (`name_at_company`). `value` is the key they share.
 */
export const ContactDuplicateRule = z.enum(["email", "phone", "name_at_company"]);
export type ContactDuplicateRule = z.infer<typeof ContactDuplicateRule>;

/** Why two companies look like one: the same domain (or website's host), or near-identical names. */
export const CompanyDuplicateRule = z.enum(["domain", "name"]);
export type CompanyDuplicateRule = z.infer<typeof CompanyDuplicateRule>;

export const ContactDuplicate = z.object({
  first: Contact,
  second: Contact,
  reasons: z.array(z.object({ rule: ContactDuplicateRule, value: z.string() })).min(1),
});
export type ContactDuplicate = z.infer<typeof ContactDuplicate>;

export const CompanyDuplicate = z.object({
  first: Company,
  second: Company,
  reasons: z.array(z.object({ rule: CompanyDuplicateRule, value: z.string() })).min(1),
});
export type CompanyDuplicate = z.infer<typeof CompanyDuplicate>;

export const DuplicateListQuery = z.strictObject({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type DuplicateListQuery = z.infer<typeof DuplicateListQuery>;

/** "These two are not the same": the pair is not listed again (in either order). */
export const DuplicateDismissal = z.strictObject({
  ids: z.tuple([Id, Id]).refine(([a, b]) => a !== b, "two different records"),
});
export type DuplicateDismissal = z.infer<typeof DuplicateDismissal>;

export const DuplicateDismissed = z.object({ ids: z.tuple([Id, Id]), dismissed: z.literal(true) });
export type DuplicateDismissed = z.infer<typeof DuplicateDismissed>;

/** Which record's value a differing field takes: the kept one's (the default) or the merged-away one's. */
export const MergeSide = z.enum(["kept", "merged"]);
export type MergeSide = z.infer<typeof MergeSide>;

/**
 * A contact's fields a merge chooses between. Addresses, phones and tags are not chosen: the kept contact gets
 * both records' (the kept one's first). Custom fields are chosen per key (`customFields`); a key only one record
 * has is kept whatever is chosen.
 */
export const CONTACT_MERGE_FIELDS = [
  "displayName",
  "firstName",
  "lastName",
  "title",
  "companyId",
  "lifecycleStage",
  "ownerId",
  "source",
  "language",
  "birthday",
  // Accepted, but an opt-out either contact has is kept whichever side is named (src/server/duplicates/merge.ts).
  "noAutomatedMail",
  "noMarketing",
  "country",
] as const;
export type ContactMergeField = (typeof CONTACT_MERGE_FIELDS)[number];

export const COMPANY_MERGE_FIELDS = ["name", "domain", "phone", "website", "address", "ownerId"] as const;
export type CompanyMergeField = (typeof COMPANY_MERGE_FIELDS)[number];

const choices = <F extends readonly [string, ...string[]]>(fields: F) =>
  z.partialRecord(z.enum(fields), MergeSide).default({});

const CustomFieldChoices = z
  .record(z.string().min(1).max(100), MergeSide)
  .refine((value) => Object.keys(value).length <= 200, "at most 200 custom fields")
  .default({});

/**
 * Merge another record into the one at the path (the kept one, whose version travels as for an update). Both
 * versions are checked: either changed meanwhile is 409 with nothing merged.
 */
export const ContactMerge = z.strictObject({
  mergedId: Id,
  mergedVersion: Version,
  fields: choices(CONTACT_MERGE_FIELDS as unknown as readonly [ContactMergeField, ...ContactMergeField[]]),
  customFields: CustomFieldChoices,
});
export type ContactMerge = z.infer<typeof ContactMerge>;

export const CompanyMerge = z.strictObject({
  mergedId: Id,
  mergedVersion: Version,
  fields: choices(COMPANY_MERGE_FIELDS as unknown as readonly [CompanyMergeField, ...CompanyMergeField[]]),
  customFields: CustomFieldChoices,
});
export type CompanyMerge = z.infer<typeof CompanyMerge>;

/** What a merge answers and what its webhook event (`contact.merged`, `company.merged`) carries. */
export const ContactMerged = z.object({ kept: Contact, mergedId: Id });
export type ContactMerged = z.infer<typeof ContactMerged>;
export const CompanyMerged = z.object({ kept: Company, mergedId: Id });
export type CompanyMerged = z.infer<typeof CompanyMerged>;
