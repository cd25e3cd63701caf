import type { z } from "zod";
import { Company, type CompanyUpdate } from "../../../shared/companies";
import { Section } from "../../components/Section";
import { RecordEditor } from "../../lists/RecordEditor";
import { RecordLayout } from "../../lists/RecordLayout";
import { RecordLoad } from "../../lists/RecordLoad";
import { useRecord } from "../../lists/useRecord";
import { useWebApp } from "../../services";
import { COMPANIES_PATH } from "../paths";
import { RatingScores } from "../ratings/RatingScores";
import { RelationshipGlance } from "../relationships/RelationshipGlance";
import { InteractionTimeline } from "../relationships/InteractionTimeline";
import { useCompanyFields } from "./company-fields";
import { CompanyAccount } from "./CompanyAccount";
import { CompanyInvoices } from "./CompanyInvoices";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { listMessages } from "../../lists/list-messages";
import { recordKindMessages } from "../../lists/record-kind-messages";

/** One company's fields and custom fields, to edit; what it owes and buys, its invoices, and its contacts' survey scores. */
export function CompanyRecord({ id }: { id: string }) {
  const { api } = useWebApp();
  const { record, saved } = useRecord("company", "companies", id, () =>
    api("getCompany", { params: { id } }),
  );
  const fields = useCompanyFields();
  const t = useMessages(listMessages);
  const kinds = useMessages(recordKindMessages);
  return (
    <RecordLoad record={record} noun="company">
      {(company) => (
        <RecordLayout listPath={COMPANIES_PATH} listLabel={kinds.companyAll} title={company.name}>
          <Section title={t.details}>
            <RecordEditor
              label={translate(t.editRecord, { name: company.name })}
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
          <CompanyAccount companyId={id} />
          <CompanyInvoices companyId={id} />
          <RatingScores of={{ kind: "company", id }} />
          <RelationshipGlance of={{ kind: "company", id }} />
          <InteractionTimeline of={{ kind: "company", id }} />
        </RecordLayout>
      )}
    </RecordLoad>
  );
}
