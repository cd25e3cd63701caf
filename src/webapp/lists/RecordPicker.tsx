import { Button, Option, Text, makeStyles, tokens } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons/svg/dismiss";
import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { AppLink } from "../router";
import { useWebApp } from "../services";
import { LINKED_KINDS, type LinkedKind, type LinkedRecord, linkedRecordKey } from "./linked-records";
import { translate } from "../../shared/languages";
import { useMessages } from "../i18n/language";
import { listMessages } from "./list-messages";
import { recordKindMessages } from "./record-kind-messages";
import { Combobox } from "../components/choice-inputs";

const useStyles = makeStyles({
  picker: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  linked: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, margin: 0, padding: 0 },
  item: { display: "inline-flex", alignItems: "center", listStyleType: "none" },
  detail: { color: tokens.colorNeutralForeground3 },
});

/** How long typing pauses before the list is searched: one request per word, not per key. */
const SEARCH_PAUSE_MS = 250;

/**
 * Picks one record (a contact's company) or several (a deal's contacts) by name, searched on the server as the
 * user types. Put it in a Fluent `Field`, which labels the combobox. What is linked is listed under it as links
 * to the records' pages, each with a button that takes it off, so that clearing works from the keyboard too.
 */
export function RecordPicker({
  kind,
  multiple,
  label,
  ids,
  onIds,
  autoFocus,
}: {
  kind: LinkedKind;
  multiple: boolean;
  /** The field's label, for the buttons that take a link off. */
  label: string;
  ids: string[];
  onIds(ids: string[]): void;
  autoFocus?: boolean;
}) {
  const styles = useStyles();
  const { api } = useWebApp();
  const linkedKind = LINKED_KINDS[kind];
  const t = useMessages(listMessages);
  const kinds = useMessages(recordKindMessages);
  const [typed, setTyped] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [term, setTerm] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setTerm((typed ?? "").trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  const results = useQuery({
    queryKey: ["linkedSearch", kind, term],
    queryFn: () => linkedKind.search(api, term || undefined),
    // Only once typing has paused: the words on the way to the one meant are not searched.
    enabled: open && term === (typed ?? "").trim(),
    staleTime: 30_000,
    // The last answer stays while the next word is searched, so the options do not blink away.
    placeholderData: keepPreviousData,
  });
  // The names of what is linked: from the search that found them, else read by id (a record opened for editing).
  const found = new Map((results.data ?? []).map((r) => [r.id, r]));
  const linked = useQueries({
    queries: ids.map((id) => ({
      queryKey: linkedRecordKey(kind, id),
      queryFn: () => linkedKind.get(api, id),
      initialData: found.get(id),
      staleTime: 60_000,
    })),
  });
  const nameOf = (index: number) => {
    const read = linked[index];
    if (read?.data) return read.data.name;
    return read?.isError ? kinds[`${kind}Unreadable`] : "…";
  };
  const shownName = !multiple && ids.length > 0 ? nameOf(0) : "";

  const pick = (next: string[]) => {
    onIds(next);
    setTyped(null);
  };
  const options: LinkedRecord[] = results.data ?? [];
  return (
    <div className={styles.picker}>
      <Combobox
        multiselect={multiple}
        autoFocus={autoFocus}
        placeholder={kinds[`${kind}Search`]}
        // A single link's name stands in the box until the user types; several are listed below it.
        value={typed ?? shownName}
        selectedOptions={ids}
        open={open}
        onChange={(event) => {
          setTyped(event.target.value);
          setOpen(true);
        }}
        onOptionSelect={(event, data) => {
          // Fluent drops a single pick when the text no longer names it; while the user is still typing a
          // search, the link stays until they pick another, take it off or empty the box.
          const typing = event.type === "change" && (event.target as HTMLInputElement).value !== "";
          if (!multiple && !data.optionValue && typing) return;
          pick(multiple ? data.selectedOptions : data.optionValue ? [data.optionValue] : []);
        }}
        onOpenChange={(_, data) => setOpen(data.open)}
        onBlur={() => setTyped(null)}
      >
        {options.map((record) => (
          <Option key={record.id} value={record.id} text={record.name}>
            {record.name}
            {record.detail && <span className={styles.detail}> · {record.detail}</span>}
          </Option>
        ))}
        {results.isPending && open && (
          <Option disabled value="" text="">
            {t.searching}
          </Option>
        )}
        {results.isError && (
          <Option disabled value="" text="">
            {kinds[`${kind}SearchFailed`]}
          </Option>
        )}
        {results.isSuccess && options.length === 0 && (
          <Option disabled value="" text="">
            {term ? translate(kinds[`${kind}NoMatch`], { term }) : kinds[`${kind}NoneYet`]}
          </Option>
        )}
      </Combobox>
      {ids.length > 0 && (
        <ul className={styles.linked} aria-label={kinds[`${kind}${multiple ? "LinkedMany" : "LinkedOne"}`]}>
          {ids.map((id, index) => (
            <li key={id} className={styles.item}>
              <AppLink to={`${linkedKind.path}/${id}`}>{nameOf(index)}</AppLink>
              <Button
                appearance="subtle"
                size="small"
                icon={<DismissRegular />}
                aria-label={
                  multiple
                    ? translate(t.removeLinked, { name: nameOf(index) })
                    : translate(t.clearField, { field: label })
                }
                onClick={() => pick(ids.filter((other) => other !== id))}
              />
            </li>
          ))}
        </ul>
      )}
      {multiple && ids.length === 0 && <Text className={styles.detail}>{t.noneLinked}</Text>}
    </div>
  );
}
