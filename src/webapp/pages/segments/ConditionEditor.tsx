import { Button, Checkbox, Field, Input, Option, makeStyles, tokens } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons/svg/dismiss";
import { useState } from "react";
import type { SegmentCondition, SegmentField } from "../../../shared/segments";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { Dropdown } from "../../components/choice-inputs";
import { useMessages } from "../../i18n/language";
import { useUserOptions } from "../../lists/options";
import { RecordPicker } from "../../lists/RecordPicker";
import { useWebApp } from "../../services";
import { type SegmentCatalogue, segmentMessages } from "./segment-messages";

const useStyles = makeStyles({
  condition: {
    display: "flex",
    gap: tokens.spacingHorizontalM,
    alignItems: "flex-end",
    flexWrap: "wrap",
    paddingBlock: tokens.spacingVerticalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  choices: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  wide: { minWidth: "16rem" },
});

export const FIELDS: readonly SegmentField[] = [
  "tags",
  "lifecycleStage",
  "owner",
  "company",
  "country",
  "customField",
  "lastContacted",
  "consent",
  "rating",
];
const STAGES = ["lead", "prospect", "customer", "former"] as const;
const DATE_OPS = ["after", "before"] as const;
const DAY_OPS = ["withinDays", "notWithinDays"] as const;

/** A new condition of the field, with what it needs filled in where a sensible start exists. */
export function blankCondition(field: SegmentField): SegmentCondition {
  switch (field) {
    case "tags":
      return { field, match: "any", values: [] };
    case "lifecycleStage":
    case "owner":
    case "company":
    case "country":
      return { field, values: [] };
    case "customField":
      return { field, key: "", op: "isSet" };
    case "lastContacted":
      return { field, op: "withinDays", days: 30 };
    case "consent":
      return { field, given: true };
    case "rating":
      return { field, kind: "nps", op: "atLeast", score: 9 };
  }
}

const words = (text: string) =>
  text
    .split(",")
    .map((w) => w.trim())
    .filter((w) => w !== "");

const opLabel = (t: SegmentCatalogue, op: string): string =>
  ({
    in: t.opIn,
    isSet: t.opIsSet,
    isNotSet: t.opIsNotSet,
    after: t.opAfter,
    before: t.opBefore,
    withinDays: t.opWithinDays,
    notWithinDays: t.opNotWithinDays,
    never: t.opNever,
    atLeast: t.opAtLeast,
    atMost: t.opAtMost,
    none: t.opNoAnswer,
  })[op] ?? op;

/**
 * Text typed as a list ("vip, newsletter"): kept as typed while the user types, handed up as its words, so a
 * comma just typed is not swallowed before the next word.
 */
function WordsInput({
  label,
  hint,
  values,
  onValues,
}: {
  label: string;
  hint: string;
  values: readonly (string | number | boolean)[];
  onValues(values: string[]): void;
}) {
  const styles = useStyles();
  const [text, setText] = useState(values.join(", "));
  return (
    <Field label={label} hint={hint} className={styles.wide}>
      <Input
        value={text}
        onChange={(_, d) => {
          setText(d.value);
          onValues(words(d.value));
        }}
      />
    </Field>
  );
}

/** One condition of a segment's filter: which field, and what its values must be. */
export function ConditionEditor({
  condition,
  onChange,
  onRemove,
}: {
  condition: SegmentCondition;
  onChange(condition: SegmentCondition): void;
  onRemove(): void;
}) {
  const styles = useStyles();
  const t = useMessages(segmentMessages);
  const fieldName: Record<SegmentField, string> = {
    tags: t.tags,
    lifecycleStage: t.lifecycleStage,
    owner: t.owner,
    company: t.company,
    country: t.country,
    customField: t.customField,
    lastContacted: t.lastContacted,
    consent: t.consent,
    rating: t.rating,
  };
  return (
    <div className={styles.condition} role="group" aria-label={fieldName[condition.field]}>
      <Field label={t.field}>
        <Dropdown
          value={fieldName[condition.field]}
          selectedOptions={[condition.field]}
          onOptionSelect={(_, d) => d.optionValue && onChange(blankCondition(d.optionValue as SegmentField))}
        >
          {FIELDS.map((field) => (
            <Option key={field} value={field}>
              {fieldName[field]}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <ConditionValues condition={condition} onChange={onChange} />
      <Button icon={<DismissRegular />} aria-label={t.removeCondition} onClick={onRemove} />
    </div>
  );
}

function ConditionValues({
  condition,
  onChange,
}: {
  condition: SegmentCondition;
  onChange(condition: SegmentCondition): void;
}) {
  const styles = useStyles();
  const t = useMessages(segmentMessages);
  const { api } = useWebApp();
  const users = useUserOptions();
  const definitions = useCustomFieldDefinitions(api, "contact");
  switch (condition.field) {
    case "tags": {
      const matches = { any: t.matchAny, all: t.matchAll, none: t.matchNone } as const;
      return (
        <>
          <Field label={t.match}>
            <Dropdown
              value={matches[condition.match]}
              selectedOptions={[condition.match]}
              onOptionSelect={(_, d) =>
                d.optionValue && onChange({ ...condition, match: d.optionValue as keyof typeof matches })
              }
            >
              {(Object.keys(matches) as (keyof typeof matches)[]).map((m) => (
                <Option key={m} value={m}>
                  {matches[m]}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <WordsInput
            label={t.tags}
            hint={t.separatedByCommas}
            values={condition.values}
            onValues={(values) => onChange({ ...condition, values })}
          />
        </>
      );
    }
    case "lifecycleStage":
      return (
        <fieldset className={styles.choices}>
          <legend>{t.lifecycleStage}</legend>
          {STAGES.map((stage) => (
            <Checkbox
              key={stage}
              label={t[stage]}
              checked={condition.values.includes(stage)}
              onChange={(_, d) =>
                onChange({
                  ...condition,
                  values: d.checked
                    ? [...condition.values, stage]
                    : condition.values.filter((v) => v !== stage),
                })
              }
            />
          ))}
        </fieldset>
      );
    case "owner": {
      const toggle = (id: string | null, on: boolean) =>
        onChange({
          ...condition,
          values: on ? [...condition.values, id] : condition.values.filter((v) => v !== id),
        });
      return (
        <fieldset className={styles.choices}>
          <legend>{t.owner}</legend>
          {users.options.map((user) => (
            <Checkbox
              key={user.value}
              label={user.label}
              checked={condition.values.includes(user.value)}
              onChange={(_, d) => toggle(user.value, d.checked === true)}
            />
          ))}
          <Checkbox
            label={t.noOwner}
            checked={condition.values.includes(null)}
            onChange={(_, d) => toggle(null, d.checked === true)}
          />
        </fieldset>
      );
    }
    case "company": {
      const ids = condition.values.filter((v): v is string => v !== null);
      const none = condition.values.includes(null);
      return (
        <>
          <Field label={t.companies} className={styles.wide}>
            <RecordPicker
              kind="company"
              multiple
              label={t.companies}
              ids={ids}
              onIds={(picked) => onChange({ ...condition, values: [...picked, ...(none ? [null] : [])] })}
            />
          </Field>
          <Checkbox
            label={t.noCompany}
            checked={none}
            onChange={(_, d) => onChange({ ...condition, values: [...ids, ...(d.checked ? [null] : [])] })}
          />
        </>
      );
    }
    case "country":
      return (
        <WordsInput
          label={t.country}
          hint={t.countriesHint}
          values={condition.values}
          onValues={(values) => onChange({ ...condition, values: values.map((v) => v.toUpperCase()) })}
        />
      );
    case "customField": {
      if (definitions.length === 0) return <span>{t.noCustomFields}</span>;
      const definition = definitions.find((d) => d.key === condition.key);
      const ops = ["in", "isSet", "isNotSet"] as const;
      return (
        <>
          <Field label={t.key}>
            <Dropdown
              value={definition?.label ?? ""}
              selectedOptions={condition.key ? [condition.key] : []}
              onOptionSelect={(_, d) => d.optionValue && onChange({ ...condition, key: d.optionValue })}
            >
              {definitions.map((d) => (
                <Option key={d.key} value={d.key}>
                  {d.label}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label={t.op}>
            <Dropdown
              value={opLabel(t, condition.op)}
              selectedOptions={[condition.op]}
              onOptionSelect={(_, d) => {
                const op = d.optionValue as (typeof ops)[number] | undefined;
                if (!op) return;
                const { values: _values, ...rest } = condition;
                onChange(op === "in" ? { ...rest, op, values: [] } : { ...rest, op });
              }}
            >
              {ops.map((op) => (
                <Option key={op} value={op}>
                  {opLabel(t, op)}
                </Option>
              ))}
            </Dropdown>
          </Field>
          {condition.op === "in" && (
            <WordsInput
              label={t.values}
              hint={t.separatedByCommas}
              values={condition.values ?? []}
              onValues={(values) =>
                onChange({
                  ...condition,
                  // A number field's values are numbers, as they are stored.
                  values:
                    definition?.type === "number"
                      ? values.map((v) => (Number.isFinite(Number(v)) ? Number(v) : v))
                      : values,
                })
              }
            />
          )}
        </>
      );
    }
    case "lastContacted": {
      const ops = [...DATE_OPS, ...DAY_OPS, "never"] as const;
      return (
        <>
          <Field label={t.op}>
            <Dropdown
              value={opLabel(t, condition.op)}
              selectedOptions={[condition.op]}
              onOptionSelect={(_, d) => {
                const op = d.optionValue as (typeof ops)[number] | undefined;
                if (!op) return;
                if ((DATE_OPS as readonly string[]).includes(op))
                  onChange({
                    field: "lastContacted",
                    op,
                    date: condition.date ?? new Date().toISOString().slice(0, 10),
                  });
                else if ((DAY_OPS as readonly string[]).includes(op))
                  onChange({ field: "lastContacted", op, days: condition.days ?? 30 });
                else onChange({ field: "lastContacted", op });
              }}
            >
              {ops.map((op) => (
                <Option key={op} value={op}>
                  {opLabel(t, op)}
                </Option>
              ))}
            </Dropdown>
          </Field>
          {condition.date !== undefined && (
            <Field label={t.date}>
              <Input
                type="date"
                value={condition.date}
                onChange={(_, d) => onChange({ ...condition, date: d.value })}
              />
            </Field>
          )}
          {condition.days !== undefined && (
            <Field label={t.days}>
              <Input
                type="number"
                min={1}
                max={3650}
                value={String(condition.days)}
                onChange={(_, d) => onChange({ ...condition, days: Math.trunc(Number(d.value)) })}
              />
            </Field>
          )}
        </>
      );
    }
    case "consent":
      return (
        <Field label={t.consent}>
          <Dropdown
            value={condition.given ? t.consentGiven : t.consentNotGiven}
            selectedOptions={[String(condition.given)]}
            onOptionSelect={(_, d) => onChange({ ...condition, given: d.optionValue === "true" })}
          >
            <Option value="true">{t.consentGiven}</Option>
            <Option value="false">{t.consentNotGiven}</Option>
          </Dropdown>
        </Field>
      );
    case "rating": {
      const ops = ["atLeast", "atMost", "none"] as const;
      const scale = condition.kind === "nps" ? { min: 0, max: 10 } : { min: 1, max: 5 };
      const within = (score: number) => Math.min(scale.max, Math.max(scale.min, score));
      return (
        <>
          <Field label={t.ratingKind}>
            <Dropdown
              value={condition.kind === "nps" ? t.ratingNps : t.ratingCsat}
              selectedOptions={[condition.kind]}
              onOptionSelect={(_, d) => {
                const kind = d.optionValue === "csat" ? "csat" : "nps";
                const bounds = kind === "nps" ? { min: 0, max: 10 } : { min: 1, max: 5 };
                onChange({
                  ...condition,
                  kind,
                  ...(condition.score === undefined
                    ? {}
                    : { score: Math.min(bounds.max, Math.max(bounds.min, condition.score)) }),
                });
              }}
            >
              <Option value="nps">{t.ratingNps}</Option>
              <Option value="csat">{t.ratingCsat}</Option>
            </Dropdown>
          </Field>
          <Field label={t.op}>
            <Dropdown
              value={opLabel(t, condition.op)}
              selectedOptions={[condition.op]}
              onOptionSelect={(_, d) => {
                const op = ops.find((o) => o === d.optionValue);
                if (!op) return;
                if (op === "none") onChange({ field: "rating", kind: condition.kind, op });
                else
                  onChange({
                    field: "rating",
                    kind: condition.kind,
                    op,
                    score: condition.score ?? scale.max,
                  });
              }}
            >
              {ops.map((op) => (
                <Option key={op} value={op}>
                  {opLabel(t, op)}
                </Option>
              ))}
            </Dropdown>
          </Field>
          {condition.score !== undefined && (
            <Field label={t.score}>
              <Input
                type="number"
                min={scale.min}
                max={scale.max}
                value={String(condition.score)}
                onChange={(_, d) => onChange({ ...condition, score: within(Math.trunc(Number(d.value))) })}
              />
            </Field>
          )}
        </>
      );
    }
  }
}
