import {
  Button,
  Field,
  Input,
  Label,
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
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { type ChangeEvent, useId, useState } from "react";
import { ApiError } from "../../../client/problems";
import { translate } from "../../../shared/languages";
import type { Product } from "../../../shared/products";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "../settings/change";
import { formatDecimal, formatInCurrency } from "./decimals";
import { ProductForm } from "./ProductForm";
import { productMessages } from "./product-messages";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center" },
  meta: { color: tokens.colorNeutralForeground3 },
  column: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    alignItems: "flex-start",
  },
  problems: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});

const PAGE = 50;

/**
 * The product catalogue: every rep sees it (a deal's lines are picked from it); admins create, edit, deactivate
 * and import a price list. Deactivating, not deleting: deals keep the lines that have the product.
 */
export function ProductsSettings({ admin }: { admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(productMessages);
  const [q, setQ] = useState("");
  const [editing, setEditing] = useState<Product | "new" | null>(null);
  const products = useInfiniteQuery({
    queryKey: ["products", "settings", q],
    queryFn: ({ pageParam }) =>
      api("listProducts", {
        query: {
          ...(q.trim() ? { q: q.trim() } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
          limit: PAGE,
        },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const toggle = useChange(
    (product: Product) =>
      api("updateProduct", {
        params: { id: product.id },
        body: { active: !product.active, version: product.version },
      }),
    [["products"]],
  );
  const items = products.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Section
      title={t.title}
      actions={
        admin && editing === null ? (
          <Button appearance="primary" onClick={() => setEditing("new")}>
            {t.newProduct}
          </Button>
        ) : undefined
      }
    >
      <Text className={styles.meta}>{admin ? t.intro : `${t.intro} ${t.readOnly}`}</Text>
      {editing !== null && (
        <ProductForm
          key={editing === "new" ? "new" : editing.id}
          product={editing === "new" ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <Field label={t.search} hint={t.searchHint}>
        <Input type="search" value={q} onChange={(_, d) => setQ(d.value)} />
      </Field>
      {products.isPending ? (
        <Loading label={t.loading} />
      ) : products.isError ? (
        <ProblemMessage error={products.error} what={t.notLoaded} onRetry={() => void products.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{q.trim() ? translate(t.noneFound, { q: q.trim() }) : t.none}</EmptyState>
      ) : (
        <Table aria-label={t.title} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t.code}</TableHeaderCell>
              <TableHeaderCell>{t.name}</TableHeaderCell>
              <TableHeaderCell>{t.unit}</TableHeaderCell>
              <TableHeaderCell>{t.prices}</TableHeaderCell>
              <TableHeaderCell>{t.taxRate}</TableHeaderCell>
              <TableHeaderCell>{t.status}</TableHeaderCell>
              {admin && <TableHeaderCell>{t.actions}</TableHeaderCell>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((product) => (
              <TableRow key={product.id}>
                <TableCell>{product.code}</TableCell>
                <TableCell>{product.name}</TableCell>
                <TableCell>{product.unit ?? ""}</TableCell>
                <TableCell>
                  {product.prices.length === 0
                    ? t.noPrice
                    : product.prices.map((p) => formatInCurrency(p.amount, p.currency)).join(", ")}
                </TableCell>
                <TableCell>{formatDecimal(product.taxRate)}</TableCell>
                <TableCell>{product.active ? t.active : t.inactive}</TableCell>
                {admin && (
                  <TableCell>
                    <div className={styles.actions}>
                      <Button
                        size="small"
                        aria-label={translate(t.editProduct, { name: product.name })}
                        onClick={() => setEditing(product)}
                      >
                        {t.editProductShort}
                      </Button>
                      <Button
                        size="small"
                        aria-label={translate(product.active ? t.deactivateProduct : t.activateProduct, {
                          name: product.name,
                        })}
                        disabled={toggle.isPending}
                        onClick={() => toggle.mutate(product)}
                      >
                        {product.active ? t.deactivate : t.activate}
                      </Button>
                    </div>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {products.hasNextPage && (
        <div>
          <Button onClick={() => void products.fetchNextPage()} disabled={products.isFetchingNextPage}>
            {t.more}
          </Button>
        </div>
      )}
      <ChangeStatus change={toggle} what={t.notSaved} done={t.saved} />
      {admin && <PriceListImport />}
    </Section>
  );
}

/**
 * A file's text, or its bytes in base64 (an xlsx, as the API takes it), read with FileReader: every browser has
 * it, and a data URL is base64 already (no string built byte by byte).
 */
function readFile(file: File, as: "text" | "base64"): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const result = String(reader.result ?? "");
      resolve(as === "text" ? result : result.slice(result.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    if (as === "text") reader.readAsText(file);
    else reader.readAsDataURL(file);
  });
}

/** A price list imported whole or not at all; a refusal lists the file's lines and what is wrong on each. */
function PriceListImport() {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(productMessages);
  const run = useChange(
    async (file: File) =>
      /\.xlsx$/i.test(file.name)
        ? api("importProducts", { body: { format: "xlsx", content: await readFile(file, "base64") } })
        : api("importProducts", { body: { format: "csv", content: await readFile(file, "text") } }),
    [["products"]],
  );
  const inputId = useId();
  const hintId = useId();
  const rowErrors = run.error instanceof ApiError ? (run.error.problem?.rowErrors ?? []) : [];
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) run.mutate(file);
  };
  return (
    <div className={styles.column}>
      <Label htmlFor={inputId}>{t.importTitle}</Label>
      <Text size={200} id={hintId} className={styles.meta}>
        {t.importHint}
      </Text>
      <input
        id={inputId}
        aria-describedby={hintId}
        type="file"
        accept=".csv,.txt,.xlsx"
        onChange={choose}
        disabled={run.isPending}
      />
      <ChangeStatus
        change={run}
        what={t.notImported}
        done={
          run.data
            ? translate(t.imported, {
                rows: run.data.rows,
                created: run.data.created,
                updated: run.data.updated,
                unchanged: run.data.unchanged,
              })
            : undefined
        }
      />
      {rowErrors.length > 0 && (
        <ul className={styles.problems}>
          {rowErrors.slice(0, 20).map((e) => (
            <li key={`${e.line}:${e.field ?? ""}`}>
              {translate(t.rowProblem, { line: e.line, field: e.field ?? "", message: e.message })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
