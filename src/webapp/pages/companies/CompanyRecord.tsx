import type { z } from "zod";
import { Company, type CompanyUpdate } from "../../../shared/companies";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { Section } from "../../components/Section";
import { RecordEditor } from "../../lists/RecordEditor";
import { RecordLayout } from "../../lists/RecordLayout";
import { RecordLoad } from "../../lists/RecordLoad";
import { useUserOptions } from "../../lists/options";
import { type FieldSpec, choiceField, customField, textField } from "../../lists/record-fields";
import { useRecord } from "../../lists/useRecord";
import { useWebApp } from "../../services";
import { COMPANIES_PATH } from "../paths";

/** One company's fields and custom fields, to edit. */
export function CompanyRecord({ id }: { id: string }) {
  const { api } = useWebApp();
  const { record, saved } = useRecord("company", "companies", id, () =>
    api("getCompany", { params: { id } }),
  );
  const definitions = useCustomFieldDefinitions(api, "company");
  const users = useUserOptions();
  const fields: FieldSpec<Company>[] = [
    textField("name", "Name", (c) => c.name, { required: true }),
    textField("domain", "Domain", (c) => c.domain, { hint: "Matches senders' addresses to the company" }),
    textField("phone", "Phone", (c) => c.phone),
    textField("website", "Website", (c) => c.website),
    textField("address", "Address", (c) => c.address, { input: "textarea" }),
    choiceField("ownerId", "Owner", users.options, (c) => c.ownerId),
    ...definitions.map((d) => customField<Company>(d)),
  ];
  return (
    <RecordLoad record={record} noun="company">
      {(company) => (
        <RecordLayout listPath={COMPANIES_PATH} listLabel="All companies" title={company.name}>
          <Section title="Details">
            <RecordEditor
              label={`Edit ${company.name}`}
              record={company}
              fields={fields}
              // The form sends the contract's field names; the server checks the values.
              save={(body) =>
                api("updateCompany", { params: { id }, body: body as z.input<typeof CompanyUpdate> })
              }
              parseCurrent={(value) => Company.safeParse(value).data ?? null}
              onRecord={saved}
            />
          </Section>
        </RecordLayout>
      )}
    </RecordLoad>
  );
}
