import type { z } from "zod";
import { CompanyCreate } from "../../../shared/companies";
import { NewRecordPage } from "../../lists/NewRecordPage";
import { RecordCreator } from "../../lists/RecordCreator";
import { useWebApp } from "../../services";
import { COMPANIES_PATH } from "../paths";
import { useCompanyFields } from "./company-fields";
import { useMessages } from "../../i18n/language";
import { recordKindMessages } from "../../lists/record-kind-messages";
import { companyMessages } from "./company-messages";

/** A new company's form (/app/companies/new), owned by the user unless they choose otherwise. */
export function NewCompany() {
  const { api } = useWebApp();
  const fields = useCompanyFields();
  const t = useMessages(companyMessages);
  const kinds = useMessages(recordKindMessages);
  return (
    <NewRecordPage title={t.newCompany} listPath={COMPANIES_PATH} listLabel={kinds.companyAll}>
      {(me) => (
        <RecordCreator
          label={t.newCompany}
          noun="company"
          fields={fields}
          initial={{ ownerId: me.user.id }}
          schema={CompanyCreate}
          // The form sends the contract's field names; the schema and then the server check the values.
          create={(body) => api("createCompany", { body: body as z.input<typeof CompanyCreate> })}
          kind="company"
          list="companies"
          listPath={COMPANIES_PATH}
        />
      )}
    </NewRecordPage>
  );
}
