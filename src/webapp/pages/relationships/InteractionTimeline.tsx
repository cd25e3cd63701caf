import { Button, Field, Select, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Interaction, InteractionKind } from "../../../shared/interactions";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDateTime } from "../../format";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { InteractionLinks } from "./InteractionLinks";
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

/**
 * A contact's, a company's (its people's and those linked to it) or a deal's interactions, newest first, a page at
 * a time, narrowed to a kind, and a company's or a deal's to one person (everyone who took part in them, read at
 * once, not only those on the pages read so far). Each shows its deals and companies, with a dialog to change them.
 */
export function InteractionTimeline({ of }: { of: { kind: "contact" | "company" | "deal"; id: string } }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(relationshipMessages);
  const [kind, setKind] = useState<InteractionKind | "">("");
  const [contactId, setContactId] = useState("");
  const queryClient = useQueryClient();
  const plural = of.kind === "contact" ? "contacts" : of.kind === "company" ? "companies" : "deals";
  const people = useQuery({
    queryKey: [plural, "timeline", of.id, "people"],
    queryFn: () =>
      of.kind === "company"
        ? api("companyTimelinePeople", { params: { id: of.id } })
        : api("dealTimelinePeople", { params: { id: of.id } }),
    // A contact's timeline is theirs alone: no one to narrow it to.
    enabled: of.kind !== "contact",
  });
  const pages = useInfiniteQuery({
    queryKey: [plural, "timeline", of.id, kind, contactId],
    queryFn: async ({ pageParam }): Promise<{ items: Interaction[]; nextCursor: string | null }> => {
      const cursor = pageParam ? { cursor: pageParam } : {};
      if (of.kind === "contact") {
        // The contact's timeline also holds stage changes and tasks, and has no kind filter: its interactions
        // of the kind asked for are kept from each page.
        const page = await api("contactTimeline", {
          params: { id: of.id },
          query: { limit: PAGE_SIZE, ...cursor },
        });
        return {
          items: page.items.flatMap((i) =>
            i.type === "interaction" && (!kind || i.interaction.kind === kind) ? [i.interaction] : [],
          ),
          nextCursor: page.nextCursor,
        };
      }
      const query = {
        limit: PAGE_SIZE,
        ...cursor,
        ...(kind ? { kind } : {}),
        ...(contactId ? { contactId } : {}),
      };
      return of.kind === "company"
        ? api("companyTimeline", { params: { id: of.id }, query })
        : api("dealTimeline", { params: { id: of.id }, query });
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
        {of.kind !== "contact" && (
          <Field label={t.personFilter}>
            <Select value={contactId} onChange={(_, data) => setContactId(data.value)}>
              <option value="">{t.everyone}</option>
              {(people.data?.items ?? []).map((person) => (
                <option key={person.id} value={person.id}>
                  {person.displayName}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </div>
      {people.isError && (
        <ProblemMessage error={people.error} onRetry={() => void people.refetch()} what={t.peopleNotLoaded} />
      )}
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
              <InteractionLinks
                interaction={item}
                onChanged={() => {
                  // Its records' timelines change with it: this one, and the deals' and companies' it joined or left.
                  for (const records of ["contacts", "companies", "deals"])
                    void queryClient.invalidateQueries({ queryKey: [records, "timeline"] });
                }}
              />
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
