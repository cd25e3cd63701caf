import { Button, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { Section } from "../components/Section";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
  filters: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, alignItems: "flex-end" },
});

/** A list page: its title, its filters, its exports and its rows. */
export function ListPage({
  title,
  filters,
  filtered,
  onClear,
  exports,
  children,
}: {
  title: string;
  filters: ReactNode;
  /** Some filter is set: offer to clear them. */
  filtered: boolean;
  onClear(): void;
  exports: ReactNode;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {title}
      </Text>
      <Section title={`All ${title.toLowerCase()}`} actions={exports}>
        <form className={styles.filters} aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
          {filters}
          {filtered && (
            <Button appearance="subtle" onClick={onClear}>
              Clear filters
            </Button>
          )}
        </form>
        {children}
      </Section>
    </div>
  );
}
