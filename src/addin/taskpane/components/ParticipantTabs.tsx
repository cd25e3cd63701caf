import { Tab, TabList, makeStyles } from "@fluentui/react-components";
import { useI18n } from "../i18n/i18n";

const useStyles = makeStyles({
  // A thread can have many people: their tabs wrap instead of running out of the narrow pane.
  tabs: { flexWrap: "wrap" },
});

/** One tab per person on the email, by the name Rapport knows them by (or would suggest, or their address). */
export function ParticipantTabs({
  names,
  selected,
  onSelect,
  label,
}: {
  names: { key: string; name: string }[];
  /** What the people are on: the email's by default. */
  label?: string;
  selected: number;
  onSelect: (index: number) => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <TabList
      className={styles.tabs}
      aria-label={label ?? t("participants")}
      selectedValue={String(selected)}
      onTabSelect={(_, data) => onSelect(Number(data.value))}
      size="small"
    >
      {names.map(({ key, name }, index) => (
        <Tab key={key} value={String(index)}>
          {name}
        </Tab>
      ))}
    </TabList>
  );
}
