import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { translate } from "../../../shared/languages";
import type { WebhookEndpoint } from "../../../shared/webhooks";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { useChange } from "./change";
import { ConfirmDialog } from "./ConfirmDialog";
import { CopyableLink } from "./CopyableLink";
import { WebhookDeliveries } from "./WebhookDeliveries";
import { type EndpointDraft, WebhookEndpointForm } from "./WebhookEndpointForm";
import { webhooksMessages } from "./webhooks-messages";

const useStyles = makeStyles({
  add: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, alignItems: "flex-start" },
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap" },
  url: { wordBreak: "break-all" },
});

const ENDPOINTS = ["webhook-endpoints"] as const;
const EMPTY: EndpointDraft = { url: "", events: [], active: true };

/**
 * The organisation's webhook endpoints (admins only): add one (its secret shown once), change, pause, give it a new
 * secret or delete it, and see what was sent to it, sending any delivery again.
 */
export function WebhooksSettings() {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(webhooksMessages);
  const endpoints = useQuery({ queryKey: ENDPOINTS, queryFn: () => api("listWebhookEndpoints", {}) });
  const [draft, setDraft] = useState<EndpointDraft>(EMPTY);
  const add = useChange(
    (next: EndpointDraft) => api("createWebhookEndpoint", { body: { ...next, url: next.url.trim() } }),
    [ENDPOINTS],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!add.isPending) add.mutate(draft, { onSuccess: () => setDraft(EMPTY) });
  };
  return (
    <Section title={t.section}>
      <Text>{t.intro}</Text>
      <form className={styles.add} onSubmit={submit}>
        <WebhookEndpointForm draft={draft} onChange={setDraft} />
        <Button
          type="submit"
          appearance="primary"
          disabledFocusable={draft.url.trim() === "" || draft.events.length === 0 || add.isPending}
        >
          {add.isPending ? t.adding : t.add}
        </Button>
      </form>
      {add.isError && (
        <ProblemMessage error={add.error} what={t.notAdded} onRetry={() => add.mutate(draft)} />
      )}
      {add.data && <CopyableLink label={t.secretOnce} link={add.data.secret} />}
      {endpoints.isPending && <Loading label={t.loading} />}
      {endpoints.isError && (
        <ProblemMessage error={endpoints.error} onRetry={() => void endpoints.refetch()} what={t.notLoaded} />
      )}
      {endpoints.data &&
        (endpoints.data.items.length === 0 ? (
          <EmptyState>{t.none}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.caption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.url}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.events}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.status}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {endpoints.data.items.map((endpoint) => (
                <EndpointRow key={endpoint.id} endpoint={endpoint} />
              ))}
            </TableBody>
          </Table>
        ))}
    </Section>
  );
}

function EndpointRow({ endpoint }: { endpoint: WebhookEndpoint }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(webhooksMessages);
  const [open, setOpen] = useState<"edit" | "rotate" | "remove" | null>(null);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const rotate = useChange<void, { secret: string }>(
    () => api("rotateWebhookSecret", { params: { id: endpoint.id } }),
    [ENDPOINTS],
  );
  const remove = useChange<void, unknown>(
    () => api("deleteWebhookEndpoint", { params: { id: endpoint.id } }),
    [ENDPOINTS],
  );
  const close = () => setOpen(null);
  return (
    <>
      <TableRow>
        <TableCell className={styles.url}>{endpoint.url}</TableCell>
        <TableCell>{endpoint.events.join(", ")}</TableCell>
        <TableCell>{endpoint.active ? t.active : t.inactive}</TableCell>
        <TableCell>
          <div className={styles.actions}>
            <Button
              size="small"
              aria-label={translate(t.editEndpoint, { url: endpoint.url })}
              onClick={() => setOpen("edit")}
            >
              {t.edit}
            </Button>
            <Button
              size="small"
              aria-label={translate(t.rotateEndpoint, { url: endpoint.url })}
              onClick={() => setOpen("rotate")}
            >
              {t.rotate}
            </Button>
            <Button
              size="small"
              aria-label={translate(t.removeEndpoint, { url: endpoint.url })}
              onClick={() => setOpen("remove")}
            >
              {t.remove}
            </Button>
            <Button
              size="small"
              aria-expanded={showDeliveries}
              aria-label={
                showDeliveries ? t.hideDeliveries : translate(t.showDeliveriesOf, { url: endpoint.url })
              }
              onClick={() => setShowDeliveries(!showDeliveries)}
            >
              {showDeliveries ? t.hideDeliveries : t.showDeliveries}
            </Button>
          </div>
          {rotate.data && open === null && <CopyableLink label={t.secretOnce} link={rotate.data.secret} />}
          {open === "edit" && <EditEndpoint endpoint={endpoint} onClose={close} />}
          {open === "rotate" && (
            <ConfirmDialog
              title={t.rotateTitle}
              text={t.rotateText}
              confirm={t.rotate}
              pending={t.rotating}
              change={{ ...rotate, mutate: () => rotate.mutate(undefined, { onSuccess: close }) }}
              what={t.notRotated}
              onClose={close}
            />
          )}
          {open === "remove" && (
            <ConfirmDialog
              title={t.removeTitle}
              text={translate(t.removeText, { url: endpoint.url })}
              confirm={t.remove}
              pending={t.removing}
              change={remove}
              what={t.notRemoved}
              onClose={close}
            />
          )}
        </TableCell>
      </TableRow>
      {showDeliveries && (
        <TableRow>
          <TableCell colSpan={4}>
            <WebhookDeliveries endpoint={endpoint} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
}

function EditEndpoint({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose(): void }) {
  const { api } = useWebApp();
  const t = useMessages(webhooksMessages);
  const [draft, setDraft] = useState<EndpointDraft>({
    url: endpoint.url,
    events: endpoint.events,
    active: endpoint.active,
  });
  const save = useChange(
    (next: EndpointDraft) =>
      api("updateWebhookEndpoint", {
        params: { id: endpoint.id },
        body: { ...next, url: next.url.trim(), version: endpoint.version },
      }),
    [ENDPOINTS],
  );
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t.editTitle}</DialogTitle>
          <DialogContent>
            <WebhookEndpointForm draft={draft} onChange={setDraft} />
            {save.isError && (
              <ProblemMessage error={save.error} what={t.notSaved} onRetry={() => save.mutate(draft)} />
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose} disabled={save.isPending}>
              {t.cancel}
            </Button>
            <Button
              appearance="primary"
              disabledFocusable={draft.url.trim() === "" || draft.events.length === 0 || save.isPending}
              onClick={() => save.mutate(draft, { onSuccess: onClose })}
            >
              {save.isPending ? t.saving : t.save}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
