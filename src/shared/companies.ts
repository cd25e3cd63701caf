import { z } from "zod";
import { Id, IsoDateTime, ListQuery, OptionalText, Version } from "./common";
import { canonicalDomain } from "./email-address";
import { CustomFieldValues, CustomFields } from "./custom-fields";

/**
 * A company's web domain as people type it ("https://www.Contoso.com/about") reduced to what email
 * addresses carry ("contoso.com"), so that senders can be matched to their company. An internationalised domain
 * stays in the script it was written in; canonicalDomain gives the form it is compared in.
 */
export function normalizeCompanyDomain(input: string): string | null {
  let host = input.trim().normalize("NFC").toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, "").replace(/^@/, "");
  host = host.split(/[/?#]/, 1)[0] ?? "";
  host = host
    .replace(/:\d+$/, "")
    .replace(/^www\./, "")
    .replace(/\.$/, "");
  const label = /^(?!-)[\p{L}\p{M}\p{N}-]{1,63}(?<!-)$/u;
  const labels = host.split(".");
  if (host.length > 253 || labels.length < 2 || !labels.every((l) => label.test(l))) return null;
  if ((labels.at(-1) ?? "").length < 2) return null;
  return host;
}

/**
 * A company's domain: `domain` canonical (what is unique per organisation and matched against senders' addresses),
 * `written` as the user typed it, to show. Blank clears it.
 */
export const CompanyDomain = z
  .string()
  .max(300)
  .nullable()
  .transform((value, ctx) => {
    if (value === null || value.trim() === "") return null;
    const written = normalizeCompanyDomain(value);
    const domain = written === null ? null : canonicalDomain(written);
    if (written === null || domain === null) {
      ctx.addIssue({ code: "custom", message: `"${value.slice(0, 80)}" is not a domain name` });
      return z.NEVER;
    }
    return { domain, written };
  });

export const Company = z.object({
  id: Id,
  name: z.string(),
  /** As it was written; senders match it in any spelling (müller.example, xn--mller-kva.example). */
  domain: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  address: z.string().nullable(),
  ownerId: Id.nullable(),
  customFields: CustomFieldValues,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Company = z.infer<typeof Company>;

const companyFields = {
  name: z.string().trim().min(1).max(200),
  domain: CompanyDomain.optional(),
  phone: OptionalText(50).optional(),
  website: OptionalText(500).optional(),
  address: OptionalText(1000).optional(),
  ownerId: Id.nullable().optional(),
  /** Checked against the organisation's company field definitions; an update replaces them all. */
  customFields: CustomFields.optional(),
};

export const CompanyCreate = z.strictObject(companyFields);
export type CompanyCreate = z.infer<typeof CompanyCreate>;

export const CompanyUpdate = z.strictObject({
  ...companyFields,
  name: companyFields.name.optional(),
  version: Version.optional(),
});
export type CompanyUpdate = z.infer<typeof CompanyUpdate>;

/** The company list's filters (the export takes the same, without paging). */
export const CompanyListQuery = ListQuery.extend({ ownerId: Id.optional() });
export type CompanyListQuery = z.infer<typeof CompanyListQuery>;
