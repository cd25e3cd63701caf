import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
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
import { DeleteRegular } from "@fluentui/react-icons";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import {
  type Currencies,
  type ExchangeRate,
  ISO_CURRENCIES,
  parseTypedRate,
} from "../../../shared/currencies";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { currencyLabel, formatDateTime, formatRate } from "../../format";
import { useCurrencies } from "../../hooks";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { ConfirmDialog } from "./ConfirmDialog";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center" },
  meta: { color: tokens.colorNeutralForeground3 },
});
// What a rate changes: the rates themselves and every report converted at them.
const TOUCHES = [["currencies"], ["report"]] as const;

/**
 * A rate as typed, read with a comma or a dot (`parseTypedRate`), and whether to say its problem yet: once the
 * user leaves the box or tries to set it, not halfway through typing "0,1".
 */
function useTypedRate(initial: string) {
  const [typed, setTyped] = useState(initial);
  const [checked, setChecked] = useState(false);
  const read = parseTypedRate(typed);
  const type = useCallback((text: string) => {
    setTyped(text);
    setChecked(false);
  }, []);
  return {
    typed,
    rate: "rate" in read ? read.rate : null,
    problem: checked && "problem" in read ? read.problem : undefined,
    type,
    check: () => setChecked(true),
  };
}

/**
 * The base currency reports add up in, and the rate of every other currency to it (when and by whom each was
 * set). Admins change them; members see them.
 */
export function CurrencySettings({ admin }: { admin: boolean }) {
  const styles = useStyles();
  const currencies = useCurrencies();
  return (
    <Section title="Currencies and exchange rates">
      <Text className={styles.meta}>
        Reports add amounts up in the base currency, converting every other currency at its rate here; amounts
        in a currency without a rate are shown apart, in their own currency, never added in.
      </Text>
      {currencies.isPending && <Loading label="Loading the currencies…" />}
      {currencies.isError && (
        <ProblemMessage
          error={currencies.error}
          onRetry={() => void currencies.refetch()}
          what="The currencies could not be loaded"
        />
      )}
      {currencies.data && (
        <>
          {admin ? (
            <BaseCurrencyForm currencies={currencies.data} />
          ) : (
            <Text>
              <Text weight="semibold">Base currency:</Text> {currencyLabel(currencies.data.baseCurrency)}
            </Text>
          )}
          <RatesTable currencies={currencies.data} admin={admin} />
          {admin && <NewRateForm currencies={currencies.data} />}
          <MissingRates currencies={currencies.data} />
        </>
      )}
    </Section>
  );
}

function BaseCurrencyForm({ currencies }: { currencies: Currencies }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const [base, setBase] = useState(currencies.baseCurrency);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => setBase(currencies.baseCurrency), [currencies.baseCurrency]);
  const save = useChange<void, Currencies>(async () => {
    const saved = await api("updateBaseCurrency", { body: { baseCurrency: base } });
    setConfirming(false);
    return saved;
  }, TOUCHES);
  const rates = currencies.rates.length;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Every rate is to the old base: a new base removes them, so that is asked first.
    if (rates > 0) setConfirming(true);
    else save.mutate();
  };
  return (
    <form className={styles.row} aria-label="Base currency" onSubmit={submit}>
      {/* A native list: 160 currencies open at once and are found by typing, as a select is. */}
      <Field label="Base currency" hint="What reports convert every amount into.">
        <Select value={base} onChange={(_, d) => setBase(d.value)}>
          {ISO_CURRENCIES.map((code) => (
            <option key={code} value={code}>
              {currencyLabel(code)}
            </option>
          ))}
        </Select>
      </Field>
      <Button
        type="submit"
        appearance="primary"
        disabled={base === currencies.baseCurrency || save.isPending}
      >
        Save base currency
      </Button>
      <ChangeStatus change={save} what="The base currency was not changed" />
      {confirming && (
        <ConfirmDialog
          title={`Make ${base} the base currency?`}
          text={`The ${rates} exchange rate${rates === 1 ? " is" : "s are"} to ${currencies.baseCurrency}, so ${rates === 1 ? "it is" : "they are"} removed; set the rates to ${base} afterwards. Until then, reports show the other currencies per currency.`}
          confirm={`Make ${base} the base`}
          pending="Changing…"
          change={save}
          what="The base currency was not changed"
          onClose={() => setConfirming(false)}
        />
      )}
    </form>
  );
}

function RatesTable({ currencies, admin }: { currencies: Currencies; admin: boolean }) {
  const base = currencies.baseCurrency;
  if (currencies.rates.length === 0)
    return (
      <EmptyState>
        No exchange rates yet: reports show every currency other than {base} per currency.
      </EmptyState>
    );
  return (
    <Table size="small">
      <caption>Exchange rates to {base}</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">Currency</TableHeaderCell>
          <TableHeaderCell scope="col">1 unit in {base}</TableHeaderCell>
          <TableHeaderCell scope="col">Set</TableHeaderCell>
          {admin && <TableHeaderCell scope="col">Actions</TableHeaderCell>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {currencies.rates.map((r) => (
          <RateRow key={r.currency} rate={r} base={base} admin={admin} />
        ))}
      </TableBody>
    </Table>
  );
}

function RateRow({ rate, base, admin }: { rate: ExchangeRate; base: string; admin: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const typed = useTypedRate(rate.rate);
  const { type } = typed;
  useEffect(() => type(rate.rate), [rate.rate, type]);
  const save = useChange(
    (value: string) =>
      api("setExchangeRate", { body: { currency: rate.currency, rate: value, baseCurrency: base } }),
    TOUCHES,
  );
  const [removing, setRemoving] = useState(false);
  const remove = useChange<void, unknown>(
    () => api("removeExchangeRate", { params: { currency: rate.currency } }),
    TOUCHES,
  );
  const set = `${formatDateTime(rate.setAt)}${rate.setBy ? ` by ${rate.setBy.name ?? "a user"}` : ""}`;

  return (
    <TableRow>
      <TableCell>{currencyLabel(rate.currency)}</TableCell>
      <TableCell>
        {admin ? (
          <Field validationState={typed.problem ? "error" : "none"} validationMessage={typed.problem}>
            <Input
              aria-label={`Rate of ${rate.currency} in ${base}`}
              value={typed.typed}
              inputMode="decimal"
              onChange={(_, d) => typed.type(d.value)}
              onBlur={typed.check}
            />
          </Field>
        ) : (
          `${formatRate(rate.rate)} ${base}`
        )}
      </TableCell>
      <TableCell>{set}</TableCell>
      {admin && (
        <TableCell>
          <div className={styles.actions}>
            <Button
              disabled={typed.typed.trim() === "" || typed.rate === rate.rate || save.isPending}
              onClick={() => {
                typed.check();
                if (typed.rate !== null) save.mutate(typed.rate);
              }}
            >
              Save rate
            </Button>
            <Button
              icon={<DeleteRegular />}
              aria-label={`Remove the rate of ${rate.currency}`}
              onClick={() => setRemoving(true)}
            />
          </div>
          <ChangeStatus change={save} what={`The rate of ${rate.currency} was not saved`} />
          {removing && (
            <ConfirmDialog
              title={`Remove the rate of ${rate.currency}?`}
              text={`Reports then show amounts in ${rate.currency} per currency, not converted into ${base}.`}
              confirm="Remove rate"
              pending="Removing…"
              change={remove}
              what={`The rate of ${rate.currency} was not removed`}
              onClose={() => setRemoving(false)}
            />
          )}
        </TableCell>
      )}
    </TableRow>
  );
}

function NewRateForm({ currencies }: { currencies: Currencies }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const base = currencies.baseCurrency;
  const withRate = new Set(currencies.rates.map((r) => r.currency));
  // The deals' currencies that still lack a rate come first: those are the ones the reports need.
  const needed = currencies.dealCurrencies
    .map((d) => d.currency)
    .filter((c): c is string => c !== null && c !== base && !withRate.has(c));
  const offered = [
    ...needed,
    ...ISO_CURRENCIES.filter((c) => c !== base && !withRate.has(c) && !needed.includes(c)),
  ];
  const [currency, setCurrency] = useState("");
  const typed = useTypedRate("");
  const add = useChange(async (rate: string) => {
    const set = await api("setExchangeRate", { body: { currency, rate, baseCurrency: base } });
    setCurrency("");
    typed.type("");
    return set;
  }, TOUCHES);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    typed.check();
    if (typed.rate !== null) add.mutate(typed.rate);
  };
  return (
    <form className={styles.row} aria-label="New exchange rate" onSubmit={submit}>
      <Field label="Currency">
        <Select value={currency} onChange={(_, d) => setCurrency(d.value)}>
          <option value="">Choose a currency</option>
          {offered.map((code) => (
            <option key={code} value={code}>
              {currencyLabel(code)}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label={`1 ${currency || "unit"} in ${base}`}
        hint={`What one unit is worth in ${base}, e.g. 0.1341 (or 0,1341) for DKK when ${base} is EUR.`}
        validationState={typed.problem ? "error" : "none"}
        validationMessage={typed.problem}
      >
        <Input
          value={typed.typed}
          inputMode="decimal"
          onChange={(_, d) => typed.type(d.value)}
          onBlur={typed.check}
        />
      </Field>
      <Button type="submit" disabled={!currency || add.isPending}>
        Set rate
      </Button>
      <ChangeStatus change={add} what="The rate was not set" done="Rate set." />
    </form>
  );
}

/** The deals' currencies that reports cannot convert yet, and deals without a currency at all. */
function MissingRates({ currencies }: { currencies: Currencies }) {
  const base = currencies.baseCurrency;
  const withRate = new Set(currencies.rates.map((r) => r.currency));
  const missing = currencies.dealCurrencies.filter(
    (d) => d.currency !== null && d.currency !== base && !withRate.has(d.currency),
  );
  const unpriced = currencies.dealCurrencies.find((d) => d.currency === null)?.deals ?? 0;
  if (missing.length === 0 && unpriced === 0) return null;
  const deals = (n: number) => `${n} deal${n === 1 ? "" : "s"}`;
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        {missing.length > 0 &&
          `No rate to ${base} for ${missing.map((d) => `${d.currency} (${deals(d.deals)})`).join(", ")}: reports show those amounts per currency until a rate is set. `}
        {unpriced > 0 &&
          `${deals(unpriced)} without a currency: reports show ${unpriced === 1 ? "it" : "them"} apart, never converted.`}
      </MessageBarBody>
    </MessageBar>
  );
}
