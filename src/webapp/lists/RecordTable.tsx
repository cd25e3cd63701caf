import {
  Button,
  DataGrid,
  DataGridBody,
  DataGridCell,
  DataGridHeader,
  DataGridHeaderCell,
  DataGridRow,
  type TableColumnDefinition,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { UseInfiniteQueryResult } from "@tanstack/react-query";
import { EmptyState } from "../components/EmptyState";
import { Loading } from "../components/Loading";
import { ProblemMessage } from "../components/ProblemMessage";
import { translate } from "../../shared/languages";
import { useLanguage, useMessages } from "../i18n/language";
import { listMessages } from "./list-messages";
import { KIND_OF, type RecordsNoun, countSuffix, recordKindMessages } from "./record-kind-messages";
import { formatNumber } from "../format";

const useStyles = makeStyles({
  wrap: { overflowX: "auto" },
  more: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  meta: { color: tokens.colorNeutralForeground3 },
});

/**
 * A list's rows in a grid (arrow keys move between cells, Enter into a cell's link or checkbox), with what it
 * says while loading, when nothing matches and when the server failed, and "Load more" while there is more.
 */
export function RecordTable<Item extends { id: string }>({
  label,
  noun,
  pages,
  items,
  columns,
  empty,
}: {
  /** What a screen reader calls the grid. */
  label: string;
  /** What the rows are, in the plural ("deals"): for the loading and count lines. */
  noun: RecordsNoun;
  pages: UseInfiniteQueryResult<unknown, Error>;
  items: Item[];
  columns: TableColumnDefinition<Item>[];
  /** What an empty list says (with or without filters). */
  empty: string;
}) {
  const styles = useStyles();
  const t = useMessages(listMessages);
  const kinds = useMessages(recordKindMessages);
  const { language } = useLanguage();
  const kind = KIND_OF[noun];
  if (pages.isPending) return <Loading label={kinds[`${kind}Loading`]} />;
  if (pages.isError && items.length === 0)
    return (
      <ProblemMessage
        error={pages.error}
        onRetry={() => void pages.refetch()}
        what={kinds[`${kind}NotLoaded`]}
      />
    );
  if (items.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <>
      <div className={styles.wrap} aria-busy={pages.isFetching}>
        <DataGrid
          items={items}
          columns={columns}
          getRowId={(item: Item) => item.id}
          focusMode="composite"
          aria-label={label}
          size="small"
        >
          <DataGridHeader>
            <DataGridRow>
              {({ renderHeaderCell }) => <DataGridHeaderCell>{renderHeaderCell()}</DataGridHeaderCell>}
            </DataGridRow>
          </DataGridHeader>
          <DataGridBody<Item>>
            {({ item, rowId }) => (
              <DataGridRow<Item> key={rowId}>
                {({ renderCell }) => <DataGridCell>{renderCell(item)}</DataGridCell>}
              </DataGridRow>
            )}
          </DataGridBody>
        </DataGrid>
      </div>
      {pages.isError && (
        <ProblemMessage
          error={pages.error}
          onRetry={() => void (pages.isFetchNextPageError ? pages.fetchNextPage() : pages.refetch())}
          what={kinds[`${kind}MoreNotLoaded`]}
        />
      )}
      <div className={styles.more}>
        <Text className={styles.meta} role="status" aria-live="polite">
          {translate(
            pages.hasNextPage
              ? // A full page or more: 50, 100… take the many form in every language here.
                kinds[`${kind}First`]
              : kinds[`${kind}${countSuffix(language, items.length)}`],
            { count: formatNumber(items.length, 0) },
          )}
        </Text>
        {pages.hasNextPage && (
          <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? t.loadingMore : t.loadMore}
          </Button>
        )}
      </div>
    </>
  );
}
