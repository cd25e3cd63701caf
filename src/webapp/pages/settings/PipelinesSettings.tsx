import {
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons/svg/add";
import { ArrowLeftRegular } from "@fluentui/react-icons/svg/arrow-left";
import { ArrowRightRegular } from "@fluentui/react-icons/svg/arrow-right";
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { StarRegular } from "@fluentui/react-icons/svg/star";
import { type FormEvent, useEffect, useState } from "react";
import type { Pipeline } from "../../../shared/pipelines";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { usePipelines } from "../../hooks";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { DeletePipelineDialog, type PipelineRemoval } from "./DeletePipelineDialog";
import { NewPipelineDialog } from "./NewPipelineDialog";
import { TOUCHES, useLatestVersion } from "./pipeline-changes";
import { StagesTable } from "./StagesTable";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { pipelinesMessages } from "./pipelines-messages";

const useStyles = makeStyles({
  pipeline: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  tabs: { flexWrap: "wrap" },
});

/**
 * The organisation's pipelines, one at a time (picked by tab): admins create, rename, reorder, delete and make
 * one the default, and reshape its stages; members read them.
 */
export function PipelinesSettings({ admin }: { admin: boolean }) {
  const styles = useStyles();
  const pipelines = usePipelines();
  const t = useMessages(pipelinesMessages);
  const [picked, setPicked] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  // What the last creation or deletion did: said by the section, as the dialog that did it is gone.
  const [notice, setNotice] = useState<string | null>(null);
  const list = pipelines.data?.pipelines ?? [];
  // A pipeline deleted meanwhile (here or by a colleague) gives way to the default one.
  const selected = list.find((p) => p.id === picked) ?? list.find((p) => p.isDefault) ?? list[0];
  const removed = (removal: PipelineRemoval) => {
    const { movedDeals } = removal.result;
    const said =
      movedDeals > 0 && removal.movedTo
        ? movedDeals === 1
          ? t.deletedMovedOne
          : t.deletedMovedOther
        : t.deleted;
    setNotice(translate(said, { name: removal.name, count: movedDeals, target: removal.movedTo ?? "" }));
    setPicked(null);
  };
  return (
    <Section
      title={t.section}
      actions={
        admin && (
          <Button icon={<AddRegular />} onClick={() => setCreating(true)}>
            {t.newPipelineButton}
          </Button>
        )
      }
    >
      {pipelines.isPending && <Loading label={t.loading} />}
      {pipelines.isError && (
        <ProblemMessage error={pipelines.error} onRetry={() => void pipelines.refetch()} what={t.notLoaded} />
      )}
      {pipelines.data?.pipelines.length === 0 && <EmptyState>{t.none}</EmptyState>}
      <span role="status" aria-live="polite">
        {notice && (
          <MessageBar intent="success">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
      </span>
      {list.length > 0 && selected && (
        <>
          <TabList
            className={styles.tabs}
            aria-label={t.tabs}
            selectedValue={selected.id}
            onTabSelect={(_, d) => setPicked(String(d.value))}
          >
            {list.map((p) => (
              <Tab key={p.id} value={p.id}>
                {p.isDefault ? translate(t.defaultTab, { name: p.name }) : p.name}
              </Tab>
            ))}
          </TabList>
          <div role="tabpanel" aria-label={translate(t.tabPanel, { name: selected.name })}>
            <PipelineEditor
              key={selected.id}
              pipeline={selected}
              all={list}
              admin={admin}
              onDeleted={removed}
            />
          </div>
        </>
      )}
      {admin && creating && (
        <NewPipelineDialog
          onClose={() => setCreating(false)}
          onCreated={(pipeline) => {
            setCreating(false);
            setPicked(pipeline.id);
            setNotice(translate(pipeline.isDefault ? t.createdDefault : t.created, { name: pipeline.name }));
          }}
        />
      )}
    </Section>
  );
}

function PipelineEditor({
  pipeline,
  all,
  admin,
  onDeleted,
}: {
  pipeline: Pipeline;
  all: Pipeline[];
  admin: boolean;
  onDeleted(removal: PipelineRemoval): void;
}) {
  const styles = useStyles();
  const t = useMessages(pipelinesMessages);
  return (
    <div className={styles.pipeline}>
      {admin ? (
        <PipelineActions pipeline={pipeline} all={all} onDeleted={onDeleted} />
      ) : (
        <Text as="h3" size={400} weight="semibold">
          {pipeline.name} {pipeline.isDefault && <Badge appearance="tint">{t.defaultBadge}</Badge>}
        </Text>
      )}
      <StagesTable pipeline={pipeline} admin={admin} />
    </div>
  );
}

/** Rename, make the default, move among the others, delete. */
function PipelineActions({
  pipeline,
  all,
  onDeleted,
}: {
  pipeline: Pipeline;
  all: Pipeline[];
  onDeleted(removal: PipelineRemoval): void;
}) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(pipelinesMessages);
  const version = useLatestVersion(pipeline.id);
  const [name, setName] = useState(pipeline.name);
  const [deleting, setDeleting] = useState(false);
  useEffect(() => setName(pipeline.name), [pipeline.name]);
  const rename = useChange(
    (newName: string) =>
      api("updatePipeline", { params: { id: pipeline.id }, body: { name: newName, version: version() } }),
    TOUCHES,
  );
  const makeDefault = useChange(
    () =>
      api("updatePipeline", { params: { id: pipeline.id }, body: { isDefault: true, version: version() } }),
    TOUCHES,
  );
  const reorder = useChange(
    (pipelineIds: string[]) => api("reorderPipelines", { body: { pipelineIds } }),
    TOUCHES,
  );
  const index = all.findIndex((p) => p.id === pipeline.id);
  const move = (by: -1 | 1) => {
    const ids = all.map((p) => p.id);
    ids.splice(index, 1);
    ids.splice(index + by, 0, pipeline.id);
    reorder.mutate(ids);
  };
  return (
    <>
      <form
        className={styles.row}
        aria-label={translate(t.pipelineForm, { name: pipeline.name })}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          rename.mutate(name.trim());
        }}
      >
        <Field label={t.pipelineName}>
          <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={100} />
        </Field>
        <Button type="submit" disabled={!name.trim() || name.trim() === pipeline.name || rename.isPending}>
          {t.rename}
        </Button>
        {pipeline.isDefault && <Badge appearance="tint">{t.defaultBadge}</Badge>}
        <ChangeStatus change={rename} what={t.notRenamed} done={t.renamed} />
      </form>
      <div className={styles.row}>
        {!pipeline.isDefault && (
          <Button
            icon={<StarRegular />}
            disabled={makeDefault.isPending}
            onClick={() => makeDefault.mutate(undefined)}
          >
            {translate(t.makeDefault, { name: pipeline.name })}
          </Button>
        )}
        {all.length > 1 && (
          <>
            <Button
              icon={<ArrowLeftRegular />}
              aria-label={translate(t.moveEarlier, { name: pipeline.name })}
              // Focusable even when it cannot move: the focus stays where the keyboard left it.
              disabledFocusable={index <= 0 || reorder.isPending}
              onClick={() => move(-1)}
            />
            <Button
              icon={<ArrowRightRegular />}
              aria-label={translate(t.moveLater, { name: pipeline.name })}
              disabledFocusable={index >= all.length - 1 || reorder.isPending}
              onClick={() => move(1)}
            />
          </>
        )}
        <Button icon={<DeleteRegular />} onClick={() => setDeleting(true)}>
          {translate(t.deletePipelineButton, { name: pipeline.name })}
        </Button>
      </div>
      <ChangeStatus
        change={makeDefault}
        what={t.notMadeDefault}
        done={translate(t.madeDefault, { name: pipeline.name })}
      />
      <ChangeStatus change={reorder} what={t.notReordered} done={t.reordered} />
      {deleting && (
        <DeletePipelineDialog
          pipeline={pipeline}
          others={all.filter((p) => p.id !== pipeline.id)}
          onClose={() => setDeleting(false)}
          onDeleted={onDeleted}
        />
      )}
    </>
  );
}
