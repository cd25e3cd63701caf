import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { translate } from "../../../shared/languages";
import type { WebhookDelivery, WebhookEndpoint } from "../../../shared/webhooks";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatDateTime } from "../../format";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { webhooksMessages } from "./webhooks-messages";

export const deliveriesKey = (endpointId: string) => ["webhook-deliveries", endpointId] as const;

/** Soon enough after a delivery falls due for the server's loop (every 5 s unless configured) to have sent it. */
const LOOK_AFTER_DUE_MS = 3000;
const LOOK_AT_MOST_EVERY_MS = 3000;
const LOOK_AT_LEAST_EVERY_MS = 60_000;

/**
 * When to read the deliveries again: while one of an active endpoint's is still to go, shortly after the soonest
 * is due, so a "send again" or a retry shows how it went without a reload; nothing to wait for, never.
 */
export function nextLook(items: readonly WebhookDelivery[], active: boolean, now: number): number | false {
  if (!active) return false; // a paused endpoint's deliveries wait for it: nothing changes meanwhile
  const due = items.flatMap((d) =>
    d.state === "pending" && d.nextAttemptAt ? [Date.parse(d.nextAttemptAt)] : [],
  );
  if (due.length === 0) return false;
  const wait = Math.min(...due) + LOOK_AFTER_DUE_MS - now;
  return Math.min(LOOK_AT_LEAST_EVERY_MS, Math.max(LOOK_AT_MOST_EVERY_MS, wait));
}

/** An endpoint's recent deliveries: what was sent, how it went, when it is tried next; any can be sent again. */
export function WebhookDeliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { api } = useWebApp();
  const t = useMessages(webhooksMessages);
  const deliveries = useQuery({
    queryKey: deliveriesKey(endpoint.id),
    queryFn: () => api("listWebhookDeliveries", { params: { id: endpoint.id }, query: { limit: 50 } }),
    refetchInterval: (query) => nextLook(query.state.data?.items ?? [], endpoint.active, Date.now()),
  });
  if (deliveries.isPending) return <Loading label={t.loadingDeliveries} />;
  if (deliveries.isError)
    return (
      <ProblemMessage
        error={deliveries.error}
        onRetry={() => void deliveries.refetch()}
        what={t.deliveriesNotLoaded}
      />
    );
  if (deliveries.data.items.length === 0) return <EmptyState>{t.noDeliveries}</EmptyState>;
  return (
    <Table size="small">
      <caption>{translate(t.deliveriesCaption, { url: endpoint.url })}</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">{t.event}</TableHeaderCell>
          <TableHeaderCell scope="col">{t.created}</TableHeaderCell>
          <TableHeaderCell scope="col">{t.status}</TableHeaderCell>
          <TableHeaderCell scope="col">{t.attempts}</TableHeaderCell>
          <TableHeaderCell scope="col">{t.lastError}</TableHeaderCell>
          <TableHeaderCell scope="col">{t.nextAttempt}</TableHeaderCell>
          <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deliveries.data.items.map((delivery) => (
          <DeliveryRow key={delivery.id} endpoint={endpoint} delivery={delivery} />
        ))}
      </TableBody>
    </Table>
  );
}

function DeliveryRow({ endpoint, delivery }: { endpoint: WebhookEndpoint; delivery: WebhookDelivery }) {
  const { api } = useWebApp();
  const endpointId = endpoint.id;
  const t = useMessages(webhooksMessages);
  const again = useChange(
    () => api("resendWebhookDelivery", { params: { id: endpointId, deliveryId: delivery.id } }),
    [deliveriesKey(endpointId)],
  );
  const state = { pending: t.pending, delivered: t.delivered, failed: t.failed }[delivery.state];
  const created = formatDateTime(delivery.createdAt);
  return (
    <TableRow>
      <TableCell>{delivery.eventType}</TableCell>
      <TableCell>{created}</TableCell>
      <TableCell>{state}</TableCell>
      <TableCell>{delivery.attempts}</TableCell>
      <TableCell>{delivery.lastError ?? ""}</TableCell>
      <TableCell>
        {/* A paused endpoint's deliveries wait for it, whatever time their next attempt was set for. */}
        {delivery.nextAttemptAt
          ? endpoint.active
            ? formatDateTime(delivery.nextAttemptAt)
            : t.whenActive
          : ""}
      </TableCell>
      <TableCell>
        <Button
          size="small"
          aria-label={translate(t.sendAgainOf, { event: delivery.eventType, created })}
          disabledFocusable={again.isPending}
          onClick={() => again.mutate(undefined)}
        >
          {again.isPending ? t.sending : t.sendAgain}
        </Button>
        <ChangeStatus change={again} what={t.notSent} pending={t.sending} done={t.queued} />
      </TableCell>
    </TableRow>
  );
}
