import { Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    marginTop: tokens.spacingVerticalL,
  },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  empty: { color: tokens.colorNeutralForeground3 },
});

/** One entry of a section's list: what it is on the left, a date, amount or control on the right. */
export const useRowStyles = makeStyles({
  row: {
    display: "flex",
    justifyContent: "space-between",
    alignItems: "baseline",
    gap: tokens.spacingHorizontalS,
  },
});

/** A titled list with its empty state, so no list is ever just blank; the footer follows the list. */
export function Section({
  title,
  empty,
  children,
  footer,
}: {
  title: string;
  empty: string;
  children: ReactNode[];
  footer?: ReactNode;
}) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-label={title}>
      <Subtitle2 as="h2">{title}</Subtitle2>
      {children.length === 0 ? (
        <Caption1 className={styles.empty}>{empty}</Caption1>
      ) : (
        <ul className={styles.list}>{children}</ul>
      )}
      {footer}
    </section>
  );
}
