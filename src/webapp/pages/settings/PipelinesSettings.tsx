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
import {
  AddRegular,
  ArrowLeftRegular,
  ArrowRightRegular,
  DeleteRegular,
  StarRegular,
} from "@fluentui/react-icons";
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
  const [picked, setPicked] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  // What the last creation or deletion did: said by the section, as the dialog that did it is gone.
  const [notice, setNotice] = useState<string | null>(null);
  const list = pipelines.data?.pipelines ?? [];
  // A pipeline deleted meanwhile (here or by a colleague) gives way to the default one.
  const selected = list.find((p) => p.id === picked) ?? list.find((p) => p.isDefault) ?? list[0];
  const removed = (removal: PipelineRemoval) => {
    const { movedDeals } = removal.result;
    setNotice(
      `Pipeline “${removal.name}” deleted` +
        (movedDeals > 0 && removal.movedTo
          ? `; ${movedDeals} deal${movedDeals === 1 ? "" : "s"} moved to ${removal.movedTo}.`
          : "."),
    );
    setPicked(null);
  };
  return (
    <Section
      title="Pipelines and stages"
      actions={
        admin && (
          <Button icon={<AddRegular />} onClick={() => setCreating(true)}>
            New pipeline…
          </Button>
        )
      }
    >
      {pipelines.isPending && <Loading label="Loading the pipelines…" />}
      {pipelines.isError && (
        <ProblemMessage
          error={pipelines.error}
          onRetry={() => void pipelines.refetch()}
          what="The pipelines could not be loaded"
        />
      )}
      {pipelines.data?.pipelines.length === 0 && <EmptyState>No pipelines yet.</EmptyState>}
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
            aria-label="Pipelines"
            selectedValue={selected.id}
            onTabSelect={(_, d) => setPicked(String(d.value))}
          >
            {list.map((p) => (
              <Tab key={p.id} value={p.id}>
                {p.isDefault ? `${p.name} (default)` : p.name}
              </Tab>
            ))}
          </TabList>
          <div role="tabpanel" aria-label={`Pipeline ${selected.name}`}>
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
            setNotice(
              `Pipeline “${pipeline.name}” created${pipeline.isDefault ? ": new deals now start in it" : ""}.`,
            );
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
  return (
    <div className={styles.pipeline}>
      {admin ? (
        <PipelineActions pipeline={pipeline} all={all} onDeleted={onDeleted} />
      ) : (
        <Text as="h3" size={400} weight="semibold">
          {pipeline.name} {pipeline.isDefault && <Badge appearance="tint">Default</Badge>}
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
        aria-label={`Pipeline “${pipeline.name}”`}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          rename.mutate(name.trim());
        }}
      >
        <Field label="Pipeline name">
          <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={100} />
        </Field>
        <Button type="submit" disabled={!name.trim() || name.trim() === pipeline.name || rename.isPending}>
          Rename
        </Button>
        {pipeline.isDefault && <Badge appearance="tint">Default</Badge>}
        <ChangeStatus change={rename} what="The pipeline was not renamed" done="Renamed." />
      </form>
      <div className={styles.row}>
        {!pipeline.isDefault && (
          <Button
            icon={<StarRegular />}
            disabled={makeDefault.isPending}
            onClick={() => makeDefault.mutate(undefined)}
          >
            Make “{pipeline.name}” the default
          </Button>
        )}
        {all.length > 1 && (
          <>
            <Button
              icon={<ArrowLeftRegular />}
              aria-label={`Move pipeline “${pipeline.name}” earlier`}
              // Focusable even when it cannot move: the focus stays where the keyboard left it.
              disabledFocusable={index <= 0 || reorder.isPending}
              onClick={() => move(-1)}
            />
            <Button
              icon={<ArrowRightRegular />}
              aria-label={`Move pipeline “${pipeline.name}” later`}
              disabledFocusable={index >= all.length - 1 || reorder.isPending}
              onClick={() => move(1)}
            />
          </>
        )}
        <Button icon={<DeleteRegular />} onClick={() => setDeleting(true)}>
          Delete pipeline “{pipeline.name}”…
        </Button>
      </div>
      <ChangeStatus
        change={makeDefault}
        what="The pipeline was not made the default"
        done={`“${pipeline.name}” is the default: new deals start in it.`}
      />
      <ChangeStatus
        change={reorder}
        what="The pipelines were not reordered"
        done="Order of pipelines saved."
      />
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
