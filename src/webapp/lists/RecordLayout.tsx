import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowLeftRegular } from "@fluentui/react-icons/svg/arrow-left";
import type { ReactNode } from "react";
import { AppLink } from "../router";
import { listPathWithFilters } from "./useListFilters";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  back: { display: "inline-flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  title: { margin: 0 },
});

/** A record's page: the way back to its list (as it was left, filters and all), its name, and its parts. */
export function RecordLayout({
  listPath,
  listLabel,
  title,
  children,
}: {
  listPath: string;
  listLabel: string;
  title: string;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <div className={styles.page}>
      <AppLink to={listPathWithFilters(listPath)} className={styles.back}>
        <ArrowLeftRegular aria-hidden="true" />
        {listLabel}
      </AppLink>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {title}
      </Text>
      {children}
    </div>
  );
}
