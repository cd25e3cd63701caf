import type { ReactNode } from "react";
import type { Me } from "../../shared/routes";
import { Loading } from "../components/Loading";
import { ProblemMessage } from "../components/ProblemMessage";
import { Section } from "../components/Section";
import { useMe } from "../hooks";
import { RecordLayout } from "./RecordLayout";
import { useMessages } from "../i18n/language";
import { listMessages } from "./list-messages";

/**
 * The page of a new record's form (`/app/contacts/new`), under the way back to its list. The form waits for who
 * is signed in: they are its owner or assignee unless they choose someone else, and the form says so from the start.
 */
export function NewRecordPage({
  title,
  listPath,
  listLabel,
  children,
}: {
  title: string;
  listPath: string;
  listLabel: string;
  children: (me: Me) => ReactNode;
}) {
  const me = useMe();
  const t = useMessages(listMessages);
  return (
    <RecordLayout listPath={listPath} listLabel={listLabel} title={title}>
      <Section title={t.details}>
        {me.data ? (
          children(me.data)
        ) : me.isError ? (
          <ProblemMessage error={me.error} onRetry={() => void me.refetch()} what={t.formNotOpened} />
        ) : (
          <Loading label={t.openingForm} />
        )}
      </Section>
    </RecordLayout>
  );
}
