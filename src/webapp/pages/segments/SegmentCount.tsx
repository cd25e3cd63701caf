import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { SegmentFilter } from "../../../shared/segments";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useLanguage, useMessages } from "../../i18n/language";
import { countText } from "../../i18n/plural";
import { useWebApp } from "../../services";
import { segmentMessages } from "./segment-messages";

const useStyles = makeStyles({
  count: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  meta: { color: tokens.colorNeutralForeground3 },
  members: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});

/** How long editing pauses before the count is asked again: one request per change, not per key. */
const EDIT_PAUSE_MS = 300;

/**
 * The filter's member count and first members, as it is being edited: asked once editing pauses, and only for a
 * filter the server would take (a condition still without its values is not counted yet).
 */
export function SegmentCount({ filter }: { filter: unknown }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(segmentMessages);
  const { language } = useLanguage();
  const parsed = SegmentFilter.safeParse(filter);
  const key = parsed.success ? JSON.stringify(parsed.data) : null;
  const [asked, setAsked] = useState<string | null>(key);
  useEffect(() => {
    const timer = setTimeout(() => setAsked(key), EDIT_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  const preview = useQuery({
    queryKey: ["segmentPreview", asked],
    queryFn: () =>
      api("previewSegment", { body: { filter: JSON.parse(asked ?? "{}") as SegmentFilter, limit: 10 } }),
    enabled: asked !== null,
    placeholderData: keepPreviousData,
  });
  if (asked === null) return null;
  if (preview.isPending) return <Loading label={t.counting} />;
  if (preview.isError)
    return (
      <ProblemMessage error={preview.error} what={t.countFailed} onRetry={() => void preview.refetch()} />
    );
  const { count, noMarketing, members } = preview.data;
  return (
    <section aria-label={t.firstMembers}>
      <span role="status" aria-live="polite">
        <Text block className={styles.count}>
          {countText(language, count, { one: t.memberCountOne, few: t.memberCountFew, other: t.memberCount })}
        </Text>
        {noMarketing > 0 && (
          <Text block className={styles.meta}>
            {countText(language, noMarketing, {
              one: t.noMarketingCountOne,
              few: t.noMarketingCountFew,
              other: t.noMarketingCount,
            })}
          </Text>
        )}
      </span>
      {preview.isFetching && <Loading label={t.counting} />}
      {members.length === 0 ? (
        <EmptyState>{t.noMembers}</EmptyState>
      ) : (
        <ul className={styles.members}>
          {members.map((m) => (
            <li key={m.contactId}>
              {m.displayName} <span className={styles.meta}>{m.email ?? t.noEmail}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
