import type { z } from "zod";
import { Company, type CompanyUpdate } from "../../../shared/companies";
import { Section } from "../../components/Section";
import { RecordEditor } from "../../lists/RecordEditor";
import { RecordLayout } from "../../lists/RecordLayout";
import { RecordLoad } from "../../lists/RecordLoad";
import { useRecord } from "../../lists/useRecord";
import { useWebApp } from "../../services";
import { COMPANIES_PATH } from "../paths";
import { useCompanyFields } from "./company-fields";

/** One company's fields and custom fields, to edit. */
export function CompanyRecord({ id }: { id: string }) {
  const { api } = useWebApp();
  const { record, saved } = useRecord("company", "companies", id, () =>
    api("getCompany", { params: { id } }),
  );
  const fields = useCompanyFields();
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
