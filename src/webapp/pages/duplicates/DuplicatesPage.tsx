import { Button, Tab, TabList, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { translate } from "../../../shared/languages";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import type { PageProps } from "../../navigation";
import { useWebApp } from "../../services";
import { MergeReview } from "./MergeReview";
import { duplicateMessages } from "./duplicate-messages";
import { type DuplicateKind, type Pair, nameOf } from "./pairs";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  meta: { color: tokens.colorNeutralForeground3 },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  pair: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  reasons: { margin: 0, paddingLeft: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

export const PAIRS_PER_PAGE = 25;

/**
 * Likely duplicate contacts and companies (the server's rules: an address in another form, a phone, a name at a
 * company; a domain, a name without its legal form), each pair to merge field by field or to dismiss. `subpath`
 * "companies" opens the companies' pairs, so a link can name them.
 */
export default function DuplicatesPage({ subpath }: PageProps) {
  const styles = useStyles();
  const t = useMessages(duplicateMessages);
  const [kind, setKind] = useState<DuplicateKind>(subpath === "companies" ? "companies" : "contacts");
  return (
    <div className={styles.page}>
      <Section title={t.title}>
        <Text className={styles.meta}>{t.intro}</Text>
        <TabList
          aria-label={t.kinds}
          selectedValue={kind}
          onTabSelect={(_, data) => setKind(data.value as DuplicateKind)}
        >
          <Tab value="contacts">{t.contacts}</Tab>
          <Tab value="companies">{t.companies}</Tab>
        </TabList>
        <PairList key={kind} kind={kind} />
      </Section>
    </div>
  );
}

function PairList({ kind }: { kind: DuplicateKind }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(duplicateMessages);
  const [reviewing, setReviewing] = useState<Pair | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const pages = useInfiniteQuery({
    queryKey: ["duplicates", kind],
    queryFn: ({ pageParam }): Promise<{ items: Pair[]; nextCursor: string | null }> => {
      const query = { limit: PAIRS_PER_PAGE, ...(pageParam ? { cursor: pageParam } : {}) };
      return kind === "contacts"
        ? api("listContactDuplicates", { query })
        : api("listCompanyDuplicates", { query });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  if (reviewing)
    return (
      <MergeReview
        kind={kind}
        pair={reviewing}
        onDone={(keptName) => {
          setReviewing(null);
          setDone(keptName);
        }}
        onCancel={() => setReviewing(null)}
      />
    );
  if (pages.isPending) return <Loading label={t.loading} />;
  if (pages.isError)
    return <ProblemMessage error={pages.error} what={t.notLoaded} onRetry={() => void pages.refetch()} />;
  return (
    <>
      {done && <Text role="status">{translate(t.merged, { name: done })}</Text>}
      {items.length === 0 ? (
        <EmptyState>{t.none}</EmptyState>
      ) : (
        <ul className={styles.list} aria-label={t.pairs}>
          {items.map((pair) => (
            <PairItem
              key={`${pair.first.id}/${pair.second.id}`}
              kind={kind}
              pair={pair}
              onReview={() => {
                setDone(null);
                setReviewing(pair);
              }}
            />
          ))}
        </ul>
      )}
      {pages.hasNextPage && (
        <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {t.more}
        </Button>
      )}
    </>
  );
}

function PairItem({ kind, pair, onReview }: { kind: DuplicateKind; pair: Pair; onReview(): void }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(duplicateMessages);
  const queryClient = useQueryClient();
  const names = { first: nameOf(pair.first), second: nameOf(pair.second) };
  const dismiss = useMutation({
    mutationFn: () => {
      const body = { ids: [pair.first.id, pair.second.id] as [string, string] };
      return kind === "contacts"
        ? api("dismissContactDuplicate", { body })
        : api("dismissCompanyDuplicate", { body });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["duplicates", kind] }),
  });
  return (
    <li className={styles.pair}>
      <Text weight="semibold">{translate(t.pair, names)}</Text>
      <ul className={styles.reasons} aria-label={t.because}>
        {pair.reasons.map((reason) => (
          <li key={`${reason.rule}:${reason.value}`}>{translate(t[reason.rule], { value: reason.value })}</li>
        ))}
      </ul>
      {dismiss.isError && (
        <ProblemMessage error={dismiss.error} what={t.notDismissed} onRetry={() => dismiss.mutate()} />
      )}
      <div className={styles.actions}>
        <Button appearance="primary" aria-label={translate(t.reviewPair, names)} onClick={onReview}>
          {t.review}
        </Button>
        <Button
          aria-label={translate(t.dismissPair, names)}
          disabled={dismiss.isPending}
          onClick={() => dismiss.mutate()}
        >
          {dismiss.isPending ? t.dismissing : t.dismiss}
        </Button>
      </div>
    </li>
  );
}
