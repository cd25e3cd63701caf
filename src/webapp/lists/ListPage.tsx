import { Button, Text, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons/svg/add";
import type { ReactNode } from "react";
import { Section } from "../components/Section";
import { navigate } from "../router";
import { useMessages } from "../i18n/language";
import { listMessages } from "./list-messages";
import { KIND_OF, type RecordsNoun, recordKindMessages } from "./record-kind-messages";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  header: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalL, flexWrap: "wrap" },
  title: { margin: 0 },
  filters: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, alignItems: "flex-end" },
});

/** A list page: its title and the way to a new record, its filters, its exports and its rows. */
export function ListPage({
  title,
  records,
  create,
  filters,
  filtered,
  onClear,
  exports,
  children,
}: {
  title: string;
  /**
   * Which records the list holds, for the words about them ("All contacts"); a list not told so titles its rows
   * with the page's title.
   */
  records?: RecordsNoun;
  /** The new record's form: what the button says ("New contact") and where the form is. */
  create: { label: string; path: string };
  filters: ReactNode;
  /** Some filter is set: offer to clear them. */
  filtered: boolean;
  onClear(): void;
  exports: ReactNode;
  children: ReactNode;
}) {
  const styles = useStyles();
  const t = useMessages(listMessages);
  const kinds = useMessages(recordKindMessages);
  return (
    <div className={styles.page}>
      <div className={styles.header}>
        <Text as="h1" size={700} weight="semibold" className={styles.title}>
          {title}
        </Text>
        <Button appearance="primary" icon={<AddRegular />} onClick={() => navigate(create.path)}>
          {create.label}
        </Button>
      </div>
      <Section title={records ? kinds[`${KIND_OF[records]}All`] : title} actions={exports}>
        <form className={styles.filters} aria-label={t.filters} onSubmit={(e) => e.preventDefault()}>
          {filters}
          {filtered && (
            <Button appearance="subtle" onClick={onClear}>
              {t.clearFilters}
            </Button>
          )}
        </form>
        {children}
      </Section>
    </div>
  );
}
