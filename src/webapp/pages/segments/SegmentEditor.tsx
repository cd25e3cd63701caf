import { Button, Field, Input, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons/svg/add";
import { useState } from "react";
import type { Segment, SegmentCondition } from "../../../shared/segments";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "../settings/change";
import { ConditionEditor, blankCondition } from "./ConditionEditor";
import { SegmentCount } from "./SegmentCount";
import { segmentMessages } from "./segment-messages";

const useStyles = makeStyles({
  form: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  columns: { display: "flex", gap: tokens.spacingHorizontalXXL, flexWrap: "wrap", alignItems: "flex-start" },
  conditions: { flexGrow: 1, minWidth: "20rem", margin: 0, padding: 0, border: "none" },
  count: { minWidth: "14rem" },
  meta: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

interface Draft {
  key: string;
  condition: SegmentCondition;
}

let drafted = 0;
const nextKey = () => `condition-${(drafted += 1)}`;

/** Makes or changes a segment: its name, its conditions, and the live count of who they find. */
export function SegmentEditor({ segment, onDone }: { segment: Segment | null; onDone(): void }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(segmentMessages);
  const [name, setName] = useState(segment?.name ?? "");
  const [description, setDescription] = useState(segment?.description ?? "");
  // Each condition keeps its own key while others are added and removed, so its inputs keep what was typed.
  const [drafts, setDrafts] = useState<Draft[]>(() =>
    (segment?.filter.conditions ?? []).map((condition) => ({ key: nextKey(), condition })),
  );
  const conditions = drafts.map((d) => d.condition);
  const filter = { conditions };
  const save = useChange(
    () =>
      segment
        ? api("updateSegment", {
            params: { id: segment.id },
            body: { name, description, filter, version: segment.version },
          })
        : api("createSegment", { body: { name, description, filter } }),
    [["segments"]],
  );
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(undefined, { onSuccess: onDone });
      }}
    >
      <Field label={t.name} required>
        <Input value={name} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field label={t.description}>
        <Textarea value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
      <div className={styles.columns}>
        <fieldset className={styles.conditions}>
          <legend>{t.conditions}</legend>
          <Text block className={styles.meta}>
            {conditions.length === 0 ? t.noConditions : t.everyCondition}
          </Text>
          {drafts.map(({ key, condition }) => (
            <ConditionEditor
              // Another field is another set of inputs.
              key={`${key}:${condition.field}`}
              condition={condition}
              onChange={(changed) =>
                setDrafts(drafts.map((d) => (d.key === key ? { key, condition: changed } : d)))
              }
              onRemove={() => setDrafts(drafts.filter((d) => d.key !== key))}
            />
          ))}
          <div>
            <Button
              icon={<AddRegular />}
              onClick={() => setDrafts([...drafts, { key: nextKey(), condition: blankCondition("tags") }])}
            >
              {t.addCondition}
            </Button>
          </div>
        </fieldset>
        <div className={styles.count}>
          <SegmentCount filter={filter} />
        </div>
      </div>
      <Text className={styles.meta}>{t.shared}</Text>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={save.isPending || name.trim() === ""}>
          {t.save}
        </Button>
        <Button onClick={onDone}>{t.cancel}</Button>
      </div>
      <ChangeStatus change={save} what={t.notSaved} done={t.saved} />
    </form>
  );
}
