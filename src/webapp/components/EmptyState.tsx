import { Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  empty: {
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    color: tokens.colorNeutralForeground3,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke2}`,
  },
});

/** What an empty list says instead of nothing. */
export function EmptyState({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return (
    <Text as="p" block className={styles.empty}>
      {children}
    </Text>
  );
}
