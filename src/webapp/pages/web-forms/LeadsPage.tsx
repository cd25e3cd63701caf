import {
  Button,
  Field,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { translate } from "../../../shared/languages";
import { FORM_COMPANY_FIELDS, FORM_CONTACT_FIELDS, type Lead, type WebForm } from "../../../shared/web-forms";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatDateTime } from "../../format";
import { useMe, useUsers } from "../../hooks";
import { useMessages } from "../../i18n/language";
import { PAGE_SIZE } from "../../lists/useRecordPages";
import type { PageProps } from "../../navigation";
import { AppLink, navigate } from "../../router";
import { useWebApp } from "../../services";
import { CONTACTS_PATH } from "../paths";
import { LEADS_PATH } from "./paths";
import { WEB_FORMS } from "./WebFormsSettings";
import { useTargetLabel } from "./target-labels";
import { webFormsMessages } from "./web-forms-messages";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
  filter: { maxWidth: "24rem" },
  quiet: { color: tokens.colorNeutralForeground3 },
  pageUrl: { wordBreak: "break-all" },
  sent: { margin: 0, paddingInlineStart: 0, listStyleType: "none", whiteSpace: "pre-line" },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The leads the website's forms brought in, newest first (every member reads them): who (linked to their contact),
 * from which form and page, with which campaign, under which consent version, and whose they are. At
 * /app/leads/<form id>, one form's.
 */
export default function LeadsPage({ subpath }: PageProps) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(webFormsMessages);
  const me = useMe();
  const users = useUsers();
  const formId = UUID.test(subpath) ? subpath : undefined;
  // The forms' names are the admins' to read; a member sees "a web form".
  const admin = me.data?.user.role === "admin";
  const forms = useQuery({
    queryKey: WEB_FORMS,
    queryFn: () => api("listWebForms", {}),
    enabled: admin,
  });
  const leads = useInfiniteQuery({
    queryKey: ["leads", formId ?? null],
    queryFn: ({ pageParam }) =>
      api("listLeads", {
        query: {
          limit: PAGE_SIZE,
          ...(formId ? { formId } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
        },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const customFields = useQuery({ queryKey: ["customFields"], queryFn: () => api("listCustomFields", {}) });
  const labelOf = useTargetLabel(customFields.data?.items ?? []);
  const items = leads.data?.pages.flatMap((p) => p.items) ?? [];
  const formName = (lead: Lead) => {
    if (lead.formId === null) return t.deletedForm;
    const form = forms.data?.items.find((f) => f.id === lead.formId);
    return form?.name ?? (forms.data ? t.deletedForm : t.aWebForm);
  };
  const ownerName = (id: string | null) => {
    const user = id === null ? undefined : users.data?.items.find((u) => u.id === id);
    return id === null ? t.noOwner : (user?.displayName ?? user?.email ?? "");
  };
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {t.leadsTitle}
      </Text>
      <Text>{t.leadsIntro}</Text>
      {admin && forms.data && forms.data.items.length > 0 && (
        <Field label={t.form} className={styles.filter}>
          <Select
            value={formId ?? ""}
            onChange={(_, d) => navigate(d.value ? `${LEADS_PATH}/${d.value}` : LEADS_PATH)}
          >
            <option value="">{t.allForms}</option>
            {forms.data.items.map((form: WebForm) => (
              <option key={form.id} value={form.id}>
                {form.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {leads.isPending && <Loading label={t.loadingLeads} />}
      {leads.isError && (
        <ProblemMessage error={leads.error} onRetry={() => void leads.refetch()} what={t.leadsNotLoaded} />
      )}
      {leads.data &&
        (items.length === 0 ? (
          <EmptyState>{formId ? t.noLeadsOfForm : t.noLeads}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.leadsCaption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.received}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.contact}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.form}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.page}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.campaign}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.sentValues}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.consentColumn}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.owner}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((lead) => (
                <TableRow key={lead.id}>
                  <TableCell>{formatDateTime(lead.createdAt)}</TableCell>
                  <TableCell>
                    <LeadContact lead={lead} />
                  </TableCell>
                  <TableCell>{formName(lead)}</TableCell>
                  <TableCell className={styles.pageUrl}>{lead.pageUrl ?? ""}</TableCell>
                  <TableCell>
                    {[lead.utm.source, lead.utm.medium, lead.utm.campaign, lead.utm.term, lead.utm.content]
                      .filter((v) => v !== null)
                      .join(" · ")}
                  </TableCell>
                  <TableCell>
                    <SentValues lead={lead} labelOf={labelOf} />
                  </TableCell>
                  <TableCell>
                    {lead.consentVersion === null
                      ? t.noConsent
                      : translate(t.consentGiven, { version: lead.consentVersion })}
                  </TableCell>
                  <TableCell>{ownerName(lead.ownerId)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
      {leads.hasNextPage && (
        <div>
          <Button disabledFocusable={leads.isFetchingNextPage} onClick={() => void leads.fetchNextPage()}>
            {leads.isFetchingNextPage ? t.loadingMore : t.showMore}
          </Button>
        </div>
      )}
    </div>
  );
}

/** Who sent it, as they wrote it, linked to the contact it found or made. */
function LeadContact({ lead }: { lead: Lead }) {
  const styles = useStyles();
  const t = useMessages(webFormsMessages);
  const s = lead.submitted;
  const name =
    s["contact.displayName"] ||
    [s["contact.firstName"], s["contact.lastName"]].filter((p) => p).join(" ") ||
    s["contact.email"] ||
    "";
  const address = s["contact.email"] ?? "";
  const words = name && address && name !== address ? `${name} (${address})` : name || address;
  // No contact: the address was a colleague's (a form makes no contact of one), or the contact was deleted since.
  if (lead.contactId === null) return <Text className={styles.quiet}>{words || t.noContact}</Text>;
  return <AppLink to={`${CONTACTS_PATH}/${lead.contactId}`}>{words}</AppLink>;
}

/** The contact column shows these; the rest of what was sent is listed beside it. */
const SHOWN_AS_CONTACT = new Set([
  "contact.email",
  "contact.displayName",
  "contact.firstName",
  "contact.lastName",
]);
const FIELD_ORDER = [
  ...FORM_CONTACT_FIELDS.map((f) => `contact.${f}`),
  ...FORM_COMPANY_FIELDS.map((f) => `company.${f}`),
];
const fieldRank = (target: string) => {
  const own = FIELD_ORDER.indexOf(target);
  return own >= 0 ? own : FIELD_ORDER.length + (target.startsWith("contact.") ? 0 : 1);
};

/**
 * Everything else the visitor sent (phone, company, a custom field's text), as they wrote it: a known contact is
 * never changed by a form, so this is where a rep reads what to apply by hand.
 */
function SentValues({ lead, labelOf }: { lead: Lead; labelOf: (target: string) => string }) {
  const styles = useStyles();
  const t = useMessages(webFormsMessages);
  const rest = Object.entries(lead.submitted)
    .filter(([target, value]) => !SHOWN_AS_CONTACT.has(target) && value !== "")
    .sort(([a], [b]) => fieldRank(a) - fieldRank(b) || a.localeCompare(b));
  if (rest.length === 0) return null;
  return (
    <ul className={styles.sent} aria-label={t.sentValues}>
      {rest.map(([target, value]) => (
        <li key={target}>
          {labelOf(target)}: {value}
        </li>
      ))}
    </ul>
  );
}
