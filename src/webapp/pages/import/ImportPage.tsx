import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Radio,
  RadioGroup,
  Select,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowUploadRegular } from "@fluentui/react-icons/svg/arrow-upload";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useRef, useState } from "react";
import type { ProgressStep } from "../../../client/progress";
import type {
  ColumnMapping,
  DuplicateAction,
  ImportEntity,
  ImportPreview,
  ImportPreviewRequest,
  ImportResult,
} from "../../../shared/imports";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useWebApp } from "../../services";
import { ImportColumns } from "./ImportColumns";
import { ImportRowErrors } from "./ImportRowErrors";
import { ImportRows } from "./ImportRows";
import { type ChosenFile, FileRefused, readChosenFile } from "./import-file";
import { ListExports } from "./ListExports";
import { IMPORT_BODY_LIMIT, PHONE_COUNTRIES } from "../../../shared/imports";
import { type Language, translate } from "../../../shared/languages";
import { shellMessages } from "../../components/shell-messages";
import { formatNumber } from "../../format";
import { useLanguage, useMessages } from "../../i18n/language";
import { countText } from "../../i18n/plural";
import { type ImportCatalogue, importMessages } from "./import-messages";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
  row: { display: "flex", gap: tokens.spacingHorizontalL, flexWrap: "wrap", alignItems: "end" },
  hiddenInput: { display: "none" },
});

/** How many rows the preview shows; duplicates and errors are counted over the whole file. */
const PREVIEW_ROWS = 50;

const PHASES: Record<string, keyof ImportCatalogue> = {
  reading: "phaseReading",
  checking: "phaseChecking",
  writing: "phaseWriting",
};

/**
 * Bringing contacts or companies in from a CSV or vCard file: pick the file, check how its columns map and
 * which rows duplicate what is stored, decide per duplicate, then import all rows or none.
 */
export default function ImportPage() {
  const styles = useStyles();
  const t = useMessages(importMessages);
  const title = useMessages(shellMessages).importExport;
  const { language } = useLanguage();
  const { api, progress } = useWebApp();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [fileError, setFileError] = useState<unknown>(null);
  const [entity, setEntity] = useState<ImportEntity>("contacts");
  const [mapping, setMapping] = useState<ColumnMapping[] | undefined>(undefined);
  const [onDuplicate, setOnDuplicate] = useState<DuplicateAction>("skip");
  const [decisions, setDecisions] = useState<ReadonlyMap<number, DuplicateAction>>(new Map());
  // Undefined: the server's default (the user's country), which the preview names; null: none.
  const [country, setCountry] = useState<string | null | undefined>(undefined);
  const [step, setStep] = useState<ProgressStep | null>(null);

  const request = (): ImportPreviewRequest | null =>
    file && {
      format: file.format,
      entity,
      content: file.content,
      mapping,
      onDuplicate,
      decisions: [...decisions].map(([line, action]) => ({ line, action })),
      ...(entity === "contacts" && country !== undefined ? { country } : {}),
    };

  const preview = useQuery({
    // "default" and null apart: a query key is hashed as JSON, where undefined is written as null.
    queryKey: [
      "import-preview",
      file?.key,
      entity,
      mapping,
      onDuplicate,
      [...decisions],
      country === undefined ? "default" : country,
    ],
    queryFn: () =>
      api("previewImport", { body: { ...(request() as ImportPreviewRequest), rows: PREVIEW_ROWS } }),
    enabled: file !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });

  const commit = useMutation({
    mutationFn: () => {
      const body = request() as ImportPreviewRequest;
      setStep(null);
      return progress("commitImport", { body: { ...body, onDuplicate } }, setStep);
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.target.files?.[0];
    event.target.value = "";
    if (!picked) return;
    setFileError(null);
    commit.reset();
    try {
      const chosen = await readChosenFile(picked);
      setFile(chosen);
      setMapping(undefined);
      setDecisions(new Map());
    } catch (error) {
      setFileError(error);
    }
  };

  const startOver = () => {
    setFile(null);
    setCountry(undefined);
    setMapping(undefined);
    setDecisions(new Map());
    commit.reset();
  };

  const decide = (line: number, action: DuplicateAction | null) =>
    setDecisions((current) => {
      const next = new Map(current);
      if (action === null) next.delete(line);
      else next.set(line, action);
      return next;
    });

  const data = preview.data;
  const blocked = !data || data.counts.invalid > 0 || data.counts.valid === 0 || preview.isFetching;
  const importing = commit.isPending;

  if (commit.data)
    return (
      <div className={styles.page}>
        <Text as="h1" size={700} weight="semibold" className={styles.title}>
          {title}
        </Text>
        <ImportDone result={commit.data} fileName={file?.name ?? ""} onAgain={startOver} />
        <ListExports />
      </div>
    );

  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {title}
      </Text>
      <Section title={t.importSection}>
        <Text>{t.intro}</Text>
        <div className={styles.row}>
          <Field label={t.fileHolds}>
            <RadioGroup
              layout="horizontal"
              value={entity}
              disabled={importing}
              onChange={(_, d) => {
                setEntity(d.value as ImportEntity);
                setMapping(undefined);
                setDecisions(new Map());
              }}
            >
              <Radio value="contacts" label={t.contacts} />
              <Radio value="companies" label={t.companies} />
            </RadioGroup>
          </Field>
          <input
            ref={input}
            type="file"
            accept=".csv,.tsv,.txt,.vcf,.vcard,text/csv,text/vcard"
            className={styles.hiddenInput}
            onChange={(e) => void choose(e)}
            aria-label={t.fileInput}
            data-testid="import-file"
          />
          <Button icon={<ArrowUploadRegular />} disabled={importing} onClick={() => input.current?.click()}>
            {file ? t.chooseAnotherFile : t.chooseFile}
          </Button>
          {file && <Text>{`${file.name} (${file.format === "csv" ? "CSV" : "vCard"})`}</Text>}
        </div>
        {fileError !== null &&
          (fileError instanceof FileRefused ? (
            <MessageBar intent="error">
              <MessageBarBody>{refusal(fileError, t)}</MessageBarBody>
            </MessageBar>
          ) : (
            <ProblemMessage error={fileError} what={t.fileUnreadable} />
          ))}
      </Section>

      {file && preview.isPending && <Loading label={t.readingFile} />}
      {file && preview.isError && (
        <ProblemMessage
          error={preview.error}
          onRetry={() => void preview.refetch()}
          what={t.fileUnreadable}
        />
      )}

      {file && data && (
        <>
          {data.columns.length > 0 && (
            <ImportColumns
              preview={data}
              disabled={importing}
              onMappingChange={(next) => {
                setMapping(next);
                setDecisions(new Map());
              }}
            />
          )}
          {entity === "contacts" && (
            <PhoneCountry
              value={country === undefined ? data.country : country}
              disabled={importing}
              onChange={(next) => {
                setCountry(next);
                setDecisions(new Map());
              }}
            />
          )}
          <Section title={t.rows}>
            <Text aria-live="polite">{summary(data.counts, entity, t, language)}</Text>
            {data.counts.duplicatesOfRecords + data.counts.duplicatesInFile > 0 && (
              <Field label={t.duplicates}>
                <RadioGroup
                  value={onDuplicate}
                  disabled={importing}
                  onChange={(_, d) => setOnDuplicate(d.value as DuplicateAction)}
                >
                  <Radio value="skip" label={t.skipThem} />
                  <Radio value="update" label={t.updateThem} />
                  <Radio value="create" label={t.createThem} />
                </RadioGroup>
              </Field>
            )}
            <ImportRows preview={data} decisions={decisions} disabled={importing} onDecide={decide} />
          </Section>
          {data.errors.length > 0 && (
            <ImportRowErrors errors={data.errors} invalid={data.counts.invalid} targets={data.targets} />
          )}
          <Section title={t.importTitle}>
            {data.counts.invalid > 0 && (
              <MessageBar intent="warning">
                <MessageBarBody>
                  {countText(language, data.counts.invalid, {
                    one: t.rowsHaveErrorsOne,
                    few: t.rowsHaveErrorsFew,
                    other: t.rowsHaveErrorsOther,
                  })}
                </MessageBarBody>
              </MessageBar>
            )}
            {importing && (
              <Field
                label={
                  step
                    ? translate(t[PHASES[step.phase] ?? "phaseWorking"], {
                        done: formatNumber(step.done, 0),
                        total: formatNumber(step.total, 0),
                      })
                    : t.sending
                }
                validationState="none"
              >
                <ProgressBar value={step && step.total > 0 ? step.done / step.total : undefined} />
              </Field>
            )}
            {commit.isError && <ProblemMessage error={commit.error} what={t.nothingImported} />}
            <div className={styles.row}>
              <Button appearance="primary" disabled={blocked || importing} onClick={() => commit.mutate()}>
                {importing
                  ? t.importing
                  : countText(
                      language,
                      data.counts.create + data.counts.update,
                      entity === "contacts"
                        ? { one: t.importContactsOne, few: t.importContactsFew, other: t.importContactsOther }
                        : {
                            one: t.importCompaniesOne,
                            few: t.importCompaniesFew,
                            other: t.importCompaniesOther,
                          },
                    )}
              </Button>
              <Button disabled={importing} onClick={startOver}>
                {t.cancel}
              </Button>
            </div>
          </Section>
        </>
      )}
      <ListExports />
    </div>
  );
}

/**
 * Where the file's phones without a country code are from: the duplicate rules read them in that country's
 * international form (070 … in Sweden is +46 70 …), and a new contact with such a number gets the country.
 */
function PhoneCountry({
  value,
  disabled,
  onChange,
}: {
  value: string | null;
  disabled: boolean;
  onChange(country: string | null): void;
}) {
  const t = useMessages(importMessages);
  const { language } = useLanguage();
  const names = new Intl.DisplayNames([language], { type: "region" });
  const countries = PHONE_COUNTRIES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) =>
    a.name.localeCompare(b.name, language),
  );
  return (
    <Field label={t.phoneCountry} hint={t.phoneCountryHint}>
      <Select
        value={value ?? ""}
        disabled={disabled}
        onChange={(_, d) => onChange(d.value === "" ? null : d.value)}
      >
        <option value="">{t.noPhoneCountry}</option>
        {countries.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** What a commit would do, count by count: each a phrase of its own, listed (no phrase depends on another). */
function summary(
  counts: ImportPreview["counts"],
  entity: ImportEntity,
  t: ImportCatalogue,
  language: Language,
): string {
  const count = (template: string, n: number) => translate(template, { count: formatNumber(n, 0) });
  const parts = [
    countText(language, counts.rows, { one: t.rowCountOne, few: t.rowCountFew, other: t.rowCountOther }),
    count(t.toCreate, counts.create),
    count(t.toUpdate, counts.update),
    count(t.toSkip, counts.skip),
  ];
  if (counts.duplicatesOfRecords) parts.push(count(t.alreadyStored, counts.duplicatesOfRecords));
  if (counts.duplicatesInFile) parts.push(count(t.repeatedInFile, counts.duplicatesInFile));
  if (counts.invalid) parts.push(count(t.withErrors, counts.invalid));
  return translate(entity === "contacts" ? t.summaryContacts : t.summaryCompanies, {
    counts: parts.join(", "),
  });
}

/** Why a file was not sent, in the reader's words. */
function refusal(refused: FileRefused, t: ImportCatalogue): string {
  if (refused.reason === "empty") return translate(t.fileEmpty, { name: refused.fileName });
  return translate(t.fileTooLarge, {
    name: refused.fileName,
    size: megabytes(refused.size),
    max: megabytes(IMPORT_BODY_LIMIT),
  });
}

function megabytes(bytes: number): string {
  return `${formatNumber(bytes / 1024 / 1024, 1)} MB`;
}

function ImportDone({
  result,
  fileName,
  onAgain,
}: {
  result: ImportResult;
  fileName: string;
  onAgain(): void;
}) {
  const styles = useStyles();
  const t = useMessages(importMessages);
  const values = {
    file: fileName,
    created: formatNumber(result.created, 0),
    updated: formatNumber(result.updated, 0),
    skipped: formatNumber(result.skipped, 0),
    companies: formatNumber(result.companiesCreated ?? 0, 0),
  };
  return (
    <Section title={t.imported}>
      <MessageBar intent="success">
        <MessageBarBody>
          {translate(result.companiesCreated ? t.importedResultWithCompanies : t.importedResult, values)}
        </MessageBarBody>
      </MessageBar>
      <div className={styles.row}>
        <Button appearance="primary" onClick={onAgain}>
          {t.importAnother}
        </Button>
      </div>
    </Section>
  );
}
