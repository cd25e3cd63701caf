import { Badge, Body1, Button, Caption1, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { normalizeEmailAddress } from "../../../shared/email-address";
import type { Interaction } from "../../../shared/interactions";
import { type ContactProfile, type TimelineItem, timelineItemId } from "../../../shared/people";
import type { OutboxEntry } from "../../core/outbox";
import { useOutboxEntries } from "../hooks/useOutbox";
import { type I18n } from "../../core/i18n";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { describeAction } from "./OutboxStatus";
import { Section, useRowStyles } from "./Section";

const PAGE_SIZE = 20;

const useStyles = makeStyles({
  text: { minWidth: 0, overflowWrap: "anywhere" },
  muted: { color: tokens.colorNeutralForeground3, flexShrink: 0 },
  more: { display: "flex", justifyContent: "center", paddingBlock: tokens.spacingVerticalS },
});

function interactionText(interaction: Interaction, t: I18n["t"]): string {
  const kind = t(`kind_${interaction.kind}`);
  const outcome = interaction.outcome ? ` · ${t(`outcome_${interaction.outcome}`)}` : "";
  const what = interaction.subject || interaction.body?.split("\n")[0] || "";
  return `${kind}${outcome}${what ? ` · ${what}` : ""}`;
}

function itemText(item: TimelineItem, t: I18n["t"]): string {
  switch (item.type) {
    case "interaction":
      return interactionText(item.interaction, t);
    case "stage_change": {
      const { dealName, fromStage, toStage } = item.stageChange;
      return fromStage
        ? t("stageChanged", { deal: dealName, from: fromStage.name, to: toStage.name })
        : t("dealOpened", { deal: dealName, to: toStage.name });
    }
    case "task":
      return t(item.task.done ? "taskDone" : "taskAdded", { title: item.task.title });
  }
}

/** Whether an outbox entry is about this person, so it shows in their history before the server has it. */
function concerns(entry: OutboxEntry, profile: ContactProfile): boolean {
  const { action } = entry;
  if (action.kind === "createNote" || action.kind === "createTask")
    return action.body.contactId === profile.id;
  const addresses =
    action.kind === "logEmail"
      ? [action.body.from, ...action.body.to, ...action.body.cc]
      : action.kind === "logMeeting"
        ? [action.body.organizer, ...(action.body.attendees ?? [])]
        : [];
  // In either spelling: the profile shows addresses as written, Outlook may hand the other form.
  const own = new Set(profile.emails.map((e) => normalizeEmailAddress(e) ?? e));
  return addresses.some(({ address }) => own.has(normalizeEmailAddress(address) ?? address));
}

/**
 * The person's history, newest first: what waits in the outbox, then the server's timeline, a page at a time
 * as the rep scrolls (or presses "Show more"). Until the first page arrives, and while the server cannot be
 * reached, the profile's latest interactions stand in for it.
 */
export function Timeline({ profile }: { profile: ContactProfile }) {
  const styles = useStyles();
  const rowStyles = useRowStyles();
  const { t, formatDate } = useI18n();
  const { api } = useServices();
  const pending = useOutboxEntries().filter((e) => e.refused === null && concerns(e, profile));
  const timeline = useInfiniteQuery({
    queryKey: ["timeline", profile.id],
    queryFn: ({ pageParam }) =>
      api("contactTimeline", { params: { id: profile.id }, query: { cursor: pageParam, limit: PAGE_SIZE } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = timeline;

  // The next page is asked for when the end of the list comes into view (a screen ahead, so the rep rarely waits),
  // from state rather than from inside the observer's callback, which saw "already fetching" as the render that
  // made it did. The observer is made again for each page the list holds, so that its first report says whether
  // the end is still in view with that page shown; a report is kept with the page count it was made for, and
  // only one for the pages shown now asks for more.
  const [sentinel, setSentinel] = useState<HTMLDivElement | null>(null);
  const pages = timeline.data?.pages.length ?? 0;
  const [endSeenWith, setEndSeenWith] = useState(-1);
  useEffect(() => {
    if (!sentinel || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setEndSeenWith(pages);
      },
      { rootMargin: "0px 0px 400px 0px" },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [sentinel, pages]);
  useEffect(() => {
    // After a failed page, only the rep's "Show more" tries again: scrolling must not hammer a server that is down.
    if (endSeenWith === pages && hasNextPage && !isFetchingNextPage && !isFetchNextPageError)
      void fetchNextPage();
  }, [endSeenWith, pages, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  const items: TimelineItem[] = timeline.data
    ? timeline.data.pages.flatMap((page) => page.items)
    : profile.recentInteractions.map((interaction) => ({
        type: "interaction" as const,
        at: interaction.occurredAt,
        interaction,
      }));

  const rows = [
    ...pending.map((entry) => (
      <li key={entry.id} className={rowStyles.row}>
        <Body1 className={styles.text}>{describeAction(entry.action, t)}</Body1>
        <Badge appearance="outline" color="warning">
          {t("waitingToSend")}
        </Badge>
      </li>
    )),
    ...items.map((item) => (
      <li key={timelineItemId(item)} className={rowStyles.row}>
        <Body1 className={styles.text}>{itemText(item, t)}</Body1>
        <Caption1 className={styles.muted}>{formatDate(item.at)}</Caption1>
      </li>
    )),
  ];

  return (
    <Section
      title={t("history")}
      empty={t("noHistory")}
      footer={
        <>
          {timeline.isError && !timeline.data && (
            <Caption1 className={styles.muted}>{t("historyOffline")}</Caption1>
          )}
          {hasNextPage && (
            <div ref={setSentinel} className={styles.more}>
              {isFetchingNextPage ? (
                <Spinner size="tiny" label={t("loadingMore")} />
              ) : (
                <Button appearance="subtle" onClick={() => void fetchNextPage()}>
                  {t("showMore")}
                </Button>
              )}
            </div>
          )}
        </>
      }
    >
      {rows}
    </Section>
  );
}
