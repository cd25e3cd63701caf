import { Button, Field, Select, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type Interaction, InteractionKind } from "../../../shared/interactions";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDateTime } from "../../format";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { howText } from "./RelationshipGlance";
import { relationshipMessages } from "./relationship-messages";

const PAGE_SIZE = 20;

const useStyles = makeStyles({
  filters: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  list: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  item: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  meta: { color: tokens.colorNeutralForeground3 },
  more: { display: "flex", justifyContent: "flex-start" },
});

/** The people an interaction was with, as the timeline's person filter offers them. */
function peopleOf(items: Interaction[], known: Map<string, string>): Map<string, string> {
  let next = known;
  for (const item of items)
    for (const p of item.participants)
      if (p.contactId && !next.has(p.contactId)) {
        if (next === known) next = new Map(known);
        next.set(p.contactId, p.name ?? p.address ?? p.contactId);
      }
  return next;
}

/**
 * A company's (its people's and those linked to it) or a deal's interactions, newest first, a page at a time,
 * narrowed to a kind or to one person. The person filter offers the people met on the pages read so far.
 */
export function InteractionTimeline({ of }: { of: { kind: "company" | "deal"; id: string } }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(relationshipMessages);
  const [kind, setKind] = useState<InteractionKind | "">("");
  const [contactId, setContactId] = useState("");
  const [people, setPeople] = useState<Map<string, string>>(new Map());
  const pages = useInfiniteQuery({
    queryKey: [of.kind === "company" ? "companies" : "deals", "timeline", of.id, kind, contactId],
    queryFn: async ({ pageParam }) => {
      const query = {
        limit: PAGE_SIZE,
        ...(pageParam ? { cursor: pageParam } : {}),
        ...(kind ? { kind } : {}),
        ...(contactId ? { contactId } : {}),
      };
      const page =
        of.kind === "company"
          ? await api("companyTimeline", { params: { id: of.id }, query })
          : await api("dealTimeline", { params: { id: of.id }, query });
      setPeople((known) => peopleOf(page.items, known));
      return page;
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = kind !== "" || contactId !== "";
  return (
    <Section title={t.timeline}>
      <div className={styles.filters}>
        <Field label={t.kindFilter}>
          <Select
            value={kind}
            onChange={(_, data) => setKind(InteractionKind.safeParse(data.value).data ?? "")}
          >
            <option value="">{t.allKinds}</option>
            {InteractionKind.options.map((k) => (
              <option key={k} value={k}>
                {t[`kind_${k}`]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.personFilter}>
          <Select value={contactId} onChange={(_, data) => setContactId(data.value)}>
            <option value="">{t.everyone}</option>
            {[...people].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {pages.isPending && <Loading label={t.timelineLoading} />}
      {pages.isError && (
        <ProblemMessage
          error={pages.error}
          onRetry={() => void (pages.isFetchNextPageError ? pages.fetchNextPage() : pages.refetch())}
          what={t.timelineNotLoaded}
        />
      )}
      {pages.isSuccess && items.length === 0 && (
        <EmptyState>{filtered ? t.noMatches : t.noInteractions}</EmptyState>
      )}
      {items.length > 0 && (
        <ul className={styles.list} aria-label={t.timeline}>
          {items.map((item) => (
            <li key={item.id} className={styles.item}>
              <Text weight="semibold">{item.subject || item.body?.slice(0, 120) || t.noSubject}</Text>
              <Text size={200} className={styles.meta}>
                {formatDateTime(item.occurredAt)} · {howText(t, item)} ·{" "}
                {item.participants
                  .filter((p) => p.contactId)
                  .map((p) => p.name ?? p.address)
                  .join(", ")}
              </Text>
            </li>
          ))}
        </ul>
      )}
      {pages.hasNextPage && (
        <div className={styles.more}>
          <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? t.loadingMore : t.loadMore}
          </Button>
        </div>
      )}
    </Section>
  );
}
