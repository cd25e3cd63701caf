import {
  Button,
  Field,
  Input,
  Option,
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
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { type UseMutationResult, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, fieldErrorsOf } from "../../../client/problems";
import { currencyChoices, currencyDecimals } from "../../../shared/currencies";
import type { DealWithStage } from "../../../shared/deals";
import { translate } from "../../../shared/languages";
import { type PricedLine, lineTotals } from "../../../shared/line-totals";
import {
  DealLines,
  type DealLinesReplace,
  Percent,
  PriceAmount,
  type Product,
  Quantity,
  fitsCurrency,
} from "../../../shared/products";
import { Combobox } from "../../components/choice-inputs";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useCurrencies } from "../../hooks";
import { useMessages } from "../../i18n/language";
import { CurrencyDropdown } from "../../lists/CurrencyDropdown";
import { useWebApp } from "../../services";
import { formatDecimal, formatInCurrency, readTypedDecimal, typedFormOf } from "../products/decimals";
import { productMessages } from "../products/product-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  number: { width: "7rem" },
  totals: {
    display: "grid",
    gridTemplateColumns: "auto auto",
    justifyContent: "end",
    columnGap: tokens.spacingHorizontalL,
    margin: 0,
  },
  figure: { textAlign: "end", margin: 0, fontVariantNumeric: "tabular-nums" },
  strong: { fontWeight: tokens.fontWeightSemibold },
  contents: { display: "contents" },
  meta: { color: tokens.colorNeutralForeground3 },
  done: { color: tokens.colorPaletteGreenForeground1 },
  notice: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/** A line as the rep edits it: numbers as typed, read when counted or sent. */
interface DraftLine {
  key: number;
  productId: string | null;
  name: string;
  unit: string | null;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  taxRate: string;
  /** The product picked had no price in the lines' currency: said beside the price until one is typed. */
  unpriced: boolean;
}

let lineKeys = 0;

const draftOf = (lines: DealLines): DraftLine[] =>
  lines.lines.map((l) => ({
    key: ++lineKeys,
    productId: l.productId,
    name: l.name,
    unit: l.unit,
    quantity: typedFormOf(l.quantity),
    unitPrice: typedFormOf(l.unitPrice),
    discountPercent: typedFormOf(l.discountPercent),
    taxRate: typedFormOf(l.taxRate),
    unpriced: false,
  }));

/** What a draft starts from: the lines and their currency, not the deal's version, which its details move too. */
const linesSignature = (lines: DealLines) => JSON.stringify([lines.currency, lines.lines]);

type LineField = "name" | "quantity" | "unitPrice" | "discountPercent" | "taxRate";

/** What is wrong with each field of a line, as the server would refuse it; the line as the API takes it when valid. */
function checkLine(line: DraftLine, currency: string) {
  const quantity = readTypedDecimal(line.quantity);
  const unitPrice = readTypedDecimal(line.unitPrice);
  const discountPercent = line.discountPercent.trim() === "" ? "0" : readTypedDecimal(line.discountPercent);
  const taxRate = readTypedDecimal(line.taxRate);
  const problems: Partial<Record<LineField, "required" | "quantity" | "price" | "percent">> = {};
  if (line.name.trim() === "") problems.name = "required";
  if (quantity === null || !Quantity.safeParse(quantity).success) problems.quantity = "quantity";
  if (unitPrice === null || !PriceAmount.safeParse(unitPrice).success || !fitsCurrency(unitPrice, currency))
    problems.unitPrice = "price";
  if (discountPercent === null || !Percent.safeParse(discountPercent).success)
    problems.discountPercent = "percent";
  if (taxRate === null || !Percent.safeParse(taxRate).success) problems.taxRate = "percent";
  const priced =
    Object.keys(problems).length === 0
      ? ({
          quantity: quantity as string,
          unitPrice: unitPrice as string,
          discountPercent: discountPercent as string,
          taxRate: taxRate as string,
        } satisfies PricedLine)
      : null;
  return { problems, priced };
}

/**
 * A deal's lines on its page: picked from the catalogue or written as free text, counted as they are typed with
 * the same function the server stores the amount by, and saved all at once with the version read. A deal with
 * lines takes its amount from them.
 */
export function DealLinesSection({ deal }: { deal: DealWithStage }) {
  const { api } = useWebApp();
  const t = useMessages(productMessages);
  const queryClient = useQueryClient();
  const key = ["dealLines", deal.id];
  const lines = useQuery({ queryKey: key, queryFn: () => api("getDealLines", { params: { id: deal.id } }) });
  const save = useMutation({
    mutationFn: (body: DealLinesReplace) => api("replaceDealLines", { params: { id: deal.id }, body }),
    retry: false,
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved);
      // The deal's amount and version changed with its lines.
      void queryClient.invalidateQueries({ queryKey: ["deal", deal.id] });
      void queryClient.invalidateQueries({ queryKey: ["deals"] });
    },
    onError: (error, sent) => {
      if (!(error instanceof ApiError) || error.code !== "version_conflict") return;
      const current = DealLines.safeParse(error.problem?.current);
      const before = queryClient.getQueryData<DealLines>(key);
      if (current.success) queryClient.setQueryData(key, current.data);
      // Only the deal's version moved (its details or stage, often the rep's own edit): the lines are as the
      // draft found them, so the draft is sent again with the version now, rather than thrown away.
      if (
        current.success &&
        current.data.version !== sent.version &&
        before &&
        linesSignature(before) === linesSignature(current.data)
      )
        save.mutate({ ...sent, version: current.data.version });
      void queryClient.invalidateQueries({ queryKey: ["deal", deal.id] });
    },
  });
  return (
    <Section title={t.lines}>
      {lines.isPending ? (
        <Loading label={t.linesLoading} />
      ) : lines.isError ? (
        <ProblemMessage error={lines.error} what={t.linesNotLoaded} onRetry={() => void lines.refetch()} />
      ) : (
        // Other lines from the server (saved, or a colleague's change) start the draft again from them; a new
        // version alone (the deal's details or stage changed) keeps the draft, which is sent with it.
        <LinesEditor
          key={linesSignature(lines.data)}
          saved={lines.data}
          fallbackCurrency={deal.currency}
          save={save}
        />
      )}
    </Section>
  );
}

function LinesEditor({
  saved,
  fallbackCurrency,
  save,
}: {
  saved: DealLines;
  fallbackCurrency: string | null;
  save: UseMutationResult<DealLines, Error, DealLinesReplace>;
}) {
  const styles = useStyles();
  const t = useMessages(productMessages);
  const base = useCurrencies().data?.baseCurrency ?? "EUR";
  const [currency, setCurrency] = useState(saved.currency ?? fallbackCurrency ?? base);
  const [draft, setDraft] = useState<DraftLine[]>(() => draftOf(saved));
  const [checked, setChecked] = useState(false);
  const [dirty, setDirty] = useState(false);
  /** Set when the currency changed under lines that have prices: those prices are not converted. */
  const [notConverted, setNotConverted] = useState(false);
  // Where the focus goes once the lines are drawn again: a new line's description, or after a removal the line
  // that took the removed one's place (its remove button), else the button that adds a line.
  const descriptions = useRef(new Map<number, HTMLInputElement>());
  const removes = useRef(new Map<number, HTMLElement>());
  const addFreeButton = useRef<HTMLButtonElement | HTMLAnchorElement>(null);
  const [focusNext, setFocusNext] = useState<{ key: number; on: "description" | "remove" } | "add" | null>(
    null,
  );
  useEffect(() => {
    if (focusNext === null) return;
    if (focusNext === "add") addFreeButton.current?.focus();
    else (focusNext.on === "description" ? descriptions : removes).current.get(focusNext.key)?.focus();
    setFocusNext(null);
  }, [focusNext]);
  const change = (next: DraftLine[]) => {
    setDraft(next);
    setDirty(true);
  };
  const update = (key: number, fields: Partial<DraftLine>) =>
    change(draft.map((l) => (l.key === key ? { ...l, ...fields } : l)));
  const serverErrors = fieldErrorsOf(save.error, "body.lines.");
  const currencyError = fieldErrorsOf(save.error, "body.")["currency"];
  const checks = draft.map((line) => checkLine(line, currency));
  const counted = checks.flatMap((c) => (c.priced ? [c.priced] : []));
  const totals = lineTotals(counted, currency);
  const conflict = save.error instanceof ApiError && save.error.code === "version_conflict";

  const problemText = (kind: "required" | "quantity" | "price" | "percent" | undefined) =>
    kind === "required"
      ? t.required
      : kind === "quantity"
        ? t.invalidQuantity
        : kind === "price"
          ? translate(t.invalidPrice, { decimals: currencyDecimals(currency), currency })
          : kind === "percent"
            ? t.invalidPercent
            : undefined;
  const shown = (i: number, field: LineField) =>
    (checked ? problemText(checks[i]?.problems[field]) : undefined) ??
    serverErrors[`${i}.${field}`] ??
    (field === "unitPrice" ? serverErrors[`${i}.productId`] : undefined);

  const addProduct = (product: Product) => {
    const price = product.prices.find((p) => p.currency === currency);
    change([
      ...draft,
      {
        key: ++lineKeys,
        productId: product.id,
        name: product.name,
        unit: product.unit,
        quantity: "1",
        unitPrice: price ? typedFormOf(price.amount) : "",
        discountPercent: "0",
        taxRate: typedFormOf(product.taxRate),
        unpriced: price === undefined,
      },
    ]);
  };
  const addFree = () => {
    const key = ++lineKeys;
    change([
      ...draft,
      {
        key,
        productId: null,
        name: "",
        unit: null,
        quantity: "1",
        unitPrice: "",
        discountPercent: "0",
        taxRate: "",
        unpriced: false,
      },
    ]);
    setFocusNext({ key, on: "description" });
  };
  const remove = (key: number) => {
    const at = draft.findIndex((l) => l.key === key);
    const rest = draft.filter((l) => l.key !== key);
    change(rest);
    const next = rest[at] ?? rest[at - 1];
    setFocusNext(next ? { key: next.key, on: "remove" } : "add");
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (checks.some((c) => !c.priced)) return;
    save.mutate({
      currency,
      version: saved.version,
      // Every value as the rep sees it: the server fills nothing in behind their back.
      lines: draft.map((line, i) => ({
        ...(line.productId ? { productId: line.productId } : {}),
        name: line.name.trim(),
        unit: line.unit,
        ...(checks[i]?.priced as PricedLine),
      })),
    });
  };

  return (
    <form className={styles.form} aria-label={t.lines} onSubmit={submit} noValidate>
      <Text className={styles.meta}>{t.linesIntro}</Text>
      {conflict && (
        <Text role="alert" className={styles.notice}>
          {t.linesChanged}
        </Text>
      )}
      <div className={styles.row}>
        <Field label={t.linesCurrency} validationMessage={currencyError}>
          <CurrencyDropdown
            currencies={currencyChoices(base)}
            required
            value={currency}
            onValue={(code) => {
              if (code !== currency && draft.some((l) => l.unitPrice.trim() !== "")) setNotConverted(true);
              setCurrency(code);
              setDirty(true);
            }}
          />
        </Field>
        <ProductPicker currency={currency} onPick={addProduct} />
        <Button ref={addFreeButton} onClick={addFree}>
          {t.addFreeLine}
        </Button>
      </div>
      {notConverted && draft.some((l) => l.unitPrice.trim() !== "") && (
        <Text role="alert" className={styles.notice}>
          {translate(t.pricesNotConverted, { currency })}
        </Text>
      )}
      {draft.length === 0 ? (
        <EmptyState>{t.noLines}</EmptyState>
      ) : (
        <Table aria-label={t.lines} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t.description}</TableHeaderCell>
              <TableHeaderCell>{t.quantity}</TableHeaderCell>
              <TableHeaderCell>{t.unitPrice}</TableHeaderCell>
              <TableHeaderCell>{t.discount}</TableHeaderCell>
              <TableHeaderCell>{t.taxRate}</TableHeaderCell>
              <TableHeaderCell>{t.lineTotal}</TableHeaderCell>
              <TableHeaderCell>{t.actions}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {draft.map((line, i) => {
              const number = translate(t.lineNumber, { number: i + 1 });
              const priced = checks[i]?.priced;
              const unpriced =
                line.unpriced && line.unitPrice.trim() === ""
                  ? translate(t.noPriceIn, { name: line.name, currency })
                  : undefined;
              return (
                <TableRow key={line.key}>
                  <TableCell>
                    <Field validationMessage={shown(i, "name")}>
                      <Input
                        ref={(element) => {
                          if (element) descriptions.current.set(line.key, element);
                          else descriptions.current.delete(line.key);
                        }}
                        aria-label={`${number}: ${t.description}`}
                        value={line.name}
                        onChange={(_, d) => update(line.key, { name: d.value })}
                      />
                    </Field>
                  </TableCell>
                  <TableCell>
                    <Field validationMessage={shown(i, "quantity")}>
                      <Input
                        className={styles.number}
                        aria-label={`${number}: ${t.quantity}`}
                        inputMode="decimal"
                        value={line.quantity}
                        onChange={(_, d) => update(line.key, { quantity: d.value })}
                      />
                    </Field>
                  </TableCell>
                  <TableCell>
                    <Field validationMessage={unpriced ?? shown(i, "unitPrice")}>
                      <Input
                        className={styles.number}
                        aria-label={`${number}: ${t.unitPrice}`}
                        inputMode="decimal"
                        value={line.unitPrice}
                        onChange={(_, d) => update(line.key, { unitPrice: d.value })}
                      />
                    </Field>
                  </TableCell>
                  <TableCell>
                    <Field validationMessage={shown(i, "discountPercent")}>
                      <Input
                        className={styles.number}
                        aria-label={`${number}: ${t.discount}`}
                        inputMode="decimal"
                        value={line.discountPercent}
                        onChange={(_, d) => update(line.key, { discountPercent: d.value })}
                      />
                    </Field>
                  </TableCell>
                  <TableCell>
                    <Field validationMessage={shown(i, "taxRate")}>
                      <Input
                        className={styles.number}
                        aria-label={`${number}: ${t.taxRate}`}
                        inputMode="decimal"
                        value={line.taxRate}
                        onChange={(_, d) => update(line.key, { taxRate: d.value })}
                      />
                    </Field>
                  </TableCell>
                  <TableCell className={styles.figure}>
                    {priced ? formatInCurrency(lineTotals([priced], currency).net, currency) : ""}
                  </TableCell>
                  <TableCell>
                    <Button
                      ref={(element) => {
                        if (element) removes.current.set(line.key, element);
                        else removes.current.delete(line.key);
                      }}
                      icon={<DeleteRegular />}
                      aria-label={translate(t.removeLine, { number: i + 1 })}
                      onClick={() => remove(line.key)}
                    />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {draft.length > 0 && (
        <dl className={styles.totals} aria-label={t.total}>
          <dt>{t.net}</dt>
          <dd className={styles.figure}>{formatInCurrency(totals.net, currency)}</dd>
          {totals.taxes.map((tax) => (
            <div key={tax.rate} className={styles.contents}>
              <dt>{translate(t.taxAt, { rate: formatDecimal(tax.rate) })}</dt>
              <dd className={styles.figure}>{formatInCurrency(tax.tax, currency)}</dd>
            </div>
          ))}
          <dt className={styles.strong}>{t.total}</dt>
          <dd className={`${styles.figure} ${styles.strong}`}>{formatInCurrency(totals.total, currency)}</dd>
        </dl>
      )}
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={save.isPending}>
          {t.saveLines}
        </Button>
        <span role="status" aria-live="polite">
          {dirty && !save.isPending && <Text className={styles.meta}>{t.unsaved}</Text>}
          {save.isPending && <Text>{t.saveLines}…</Text>}
          {!dirty && save.isSuccess && (
            <Text className={styles.done}>
              {translate(t.linesSaved, { amount: formatInCurrency(save.data.totals.net, currency) })}
            </Text>
          )}
        </span>
      </div>
      {save.isError && !conflict && (
        <ProblemMessage
          error={save.error}
          what={t.linesNotSaved}
          onRetry={() => save.variables && save.mutate(save.variables)}
        />
      )}
    </form>
  );
}

/** The catalogue's active products, found by typing a part of the name or code; picking one adds it as a line. */
function ProductPicker({ currency, onPick }: { currency: string; onPick(product: Product): void }) {
  const { api } = useWebApp();
  const t = useMessages(productMessages);
  const [q, setQ] = useState("");
  const found = useQuery({
    queryKey: ["products", "pick", q],
    queryFn: () =>
      api("listProducts", { query: { ...(q.trim() ? { q: q.trim() } : {}), active: "true", limit: 20 } }),
  });
  const products = found.data?.items ?? [];
  return (
    <Field label={t.addFromCatalogue}>
      <Combobox
        placeholder={t.chooseProduct}
        value={q}
        onInput={(event) => setQ((event.target as HTMLInputElement).value)}
        onOptionSelect={(_, d) => {
          const product = products.find((p) => p.id === d.optionValue);
          if (product) onPick(product);
          setQ("");
        }}
        selectedOptions={[]}
      >
        {products.map((p) => {
          const price = p.prices.find((x) => x.currency === currency);
          const text = `${p.code} · ${p.name}`;
          return (
            <Option key={p.id} value={p.id} text={text}>
              {price ? `${text} · ${formatInCurrency(price.amount, currency)}` : text}
            </Option>
          );
        })}
      </Combobox>
    </Field>
  );
}
