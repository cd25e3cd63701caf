import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Radio,
  RadioGroup,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowUploadRegular } from "@fluentui/react-icons";
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

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
  row: { display: "flex", gap: tokens.spacingHorizontalL, flexWrap: "wrap", alignItems: "end" },
  hiddenInput: { display: "none" },
});

/** How many rows the preview shows; duplicates and errors are counted over the whole file. */
const PREVIEW_ROWS = 50;

const PHASES: Record<string, string> = {
  reading: "Reading the file",
  checking: "Checking every row",
  writing: "Saving",
};

/**
 * Bringing contacts or companies in from a CSV or vCard file: pick the file, check how its columns map and
 * which rows duplicate what is stored, decide per duplicate, then import all rows or none.
 */
export default function ImportPage() {
  const styles = useStyles();
  const { api, progress } = useWebApp();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [fileError, setFileError] = useState<unknown>(null);
  const [entity, setEntity] = useState<ImportEntity>("contacts");
  const [mapping, setMapping] = useState<ColumnMapping[] | undefined>(undefined);
  const [onDuplicate, setOnDuplicate] = useState<DuplicateAction>("skip");
  const [decisions, setDecisions] = useState<ReadonlyMap<number, DuplicateAction>>(new Map());
  const [step, setStep] = useState<ProgressStep | null>(null);

  const request = (): ImportPreviewRequest | null =>
    file && {
      format: file.format,
      entity,
      content: file.content,
      mapping,
      onDuplicate,
      decisions: [...decisions].map(([line, action]) => ({ line, action })),
    };

  const preview = useQuery({
    queryKey: ["import-preview", file?.key, entity, mapping, onDuplicate, [...decisions]],
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
          Import and export
        </Text>
        <ImportDone result={commit.data} fileName={file?.name ?? ""} onAgain={startOver} />
        <ListExports />
      </div>
    );

  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        Import and export
      </Text>
      <Section title="Import contacts or companies">
        <Text>
          A CSV file (comma, semicolon or tab separated; the first row names the columns) or vCards. Nothing
          is saved until you import, and an import saves every row or none.
        </Text>
        <div className={styles.row}>
          <Field label="What the file holds">
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
              <Radio value="contacts" label="Contacts" />
              <Radio value="companies" label="Companies" />
            </RadioGroup>
          </Field>
          <input
            ref={input}
            type="file"
            accept=".csv,.tsv,.txt,.vcf,.vcard,text/csv,text/vcard"
            className={styles.hiddenInput}
            onChange={(e) => void choose(e)}
            aria-label="The file to import"
            data-testid="import-file"
          />
          <Button icon={<ArrowUploadRegular />} disabled={importing} onClick={() => input.current?.click()}>
            {file ? "Choose another file" : "Choose a file"}
          </Button>
          {file && <Text>{`${file.name} (${file.format === "csv" ? "CSV" : "vCard"})`}</Text>}
        </div>
        {fileError !== null &&
          (fileError instanceof FileRefused ? (
            <MessageBar intent="error">
              <MessageBarBody>{fileError.message}</MessageBarBody>
            </MessageBar>
          ) : (
            <ProblemMessage error={fileError} what="The file could not be read" />
          ))}
      </Section>

      {file && preview.isPending && <Loading label="Reading the file…" />}
      {file && preview.isError && (
        <ProblemMessage
          error={preview.error}
          onRetry={() => void preview.refetch()}
          what="The file could not be read"
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
          <Section title="Rows">
            <Text aria-live="polite">{summary(data.counts, entity)}</Text>
            {data.counts.duplicatesOfRecords + data.counts.duplicatesInFile > 0 && (
              <Field label="Rows that duplicate a stored record or an earlier row">
                <RadioGroup
                  value={onDuplicate}
                  disabled={importing}
                  onChange={(_, d) => setOnDuplicate(d.value as DuplicateAction)}
                >
                  <Radio value="skip" label="Skip them" />
                  <Radio value="update" label="Update the stored record with the row's values" />
                  <Radio value="create" label="Create a record of their own" />
                </RadioGroup>
              </Field>
            )}
            <ImportRows preview={data} decisions={decisions} disabled={importing} onDecide={decide} />
          </Section>
          {data.errors.length > 0 && <ImportRowErrors errors={data.errors} invalid={data.counts.invalid} />}
          <Section title="Import">
            {data.counts.invalid > 0 && (
              <MessageBar intent="warning">
                <MessageBarBody>
                  {`${data.counts.invalid} ${data.counts.invalid === 1 ? "row has" : "rows have"} errors. Correct them in the file, or map the columns differently, then import.`}
                </MessageBarBody>
              </MessageBar>
            )}
            {importing && (
              <Field
                label={
                  step
                    ? `${PHASES[step.phase] ?? step.phase}: ${step.done} of ${step.total}`
                    : "Sending the file…"
                }
                validationState="none"
              >
                <ProgressBar value={step && step.total > 0 ? step.done / step.total : undefined} />
              </Field>
            )}
            {commit.isError && <ProblemMessage error={commit.error} what="Nothing was imported" />}
            <div className={styles.row}>
              <Button appearance="primary" disabled={blocked || importing} onClick={() => commit.mutate()}>
                {importing ? "Importing…" : `Import ${data.counts.create + data.counts.update} ${entity}`}
              </Button>
              <Button disabled={importing} onClick={startOver}>
                Cancel
              </Button>
            </div>
          </Section>
        </>
      )}
      <ListExports />
    </div>
  );
}

function summary(counts: ImportPreview["counts"], entity: ImportEntity): string {
  const parts = [
    `${counts.rows} ${counts.rows === 1 ? "row" : "rows"}`,
    `${counts.create} to create`,
    `${counts.update} to update`,
    `${counts.skip} to skip`,
  ];
  if (counts.duplicatesOfRecords) parts.push(`${counts.duplicatesOfRecords} already stored`);
  if (counts.duplicatesInFile) parts.push(`${counts.duplicatesInFile} repeated in the file`);
  if (counts.invalid) parts.push(`${counts.invalid} with errors`);
  return `${parts.join(", ")} (${entity}).`;
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
  return (
    <Section title="Imported">
      <MessageBar intent="success">
        <MessageBarBody>
          {`${fileName}: ${result.created} created, ${result.updated} updated, ${result.skipped} skipped` +
            (result.companiesCreated ? `, and ${result.companiesCreated} new companies.` : ".")}
        </MessageBarBody>
      </MessageBar>
      <div className={styles.row}>
        <Button appearance="primary" onClick={onAgain}>
          Import another file
        </Button>
      </div>
    </Section>
  );
}
