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
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
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
import { currencyLabel, formatDateTime, formatNumber, formatRate } from "../../format";
import { useCurrencies } from "../../hooks";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { ConfirmDialog } from "./ConfirmDialog";
import { translate } from "../../../shared/languages";
import { useLanguage, useMessages } from "../../i18n/language";
import { countSuffix, recordKindMessages } from "../../lists/record-kind-messages";
import { currencyMessages, rateProblemText } from "./currency-messages";

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
  const t = useMessages(currencyMessages);
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
    problem: checked && "problem" in read ? rateProblemText(t, read.problem) : undefined,
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
  const t = useMessages(currencyMessages);
  return (
    <Section title={t.title}>
      <Text className={styles.meta}>{t.intro}</Text>
      {currencies.isPending && <Loading label={t.loading} />}
      {currencies.isError && (
        <ProblemMessage
          error={currencies.error}
          onRetry={() => void currencies.refetch()}
          what={t.notLoaded}
        />
      )}
      {currencies.data && (
        <>
          {admin ? (
            <BaseCurrencyForm currencies={currencies.data} />
          ) : (
            <Text>
              <Text weight="semibold">{t.baseCurrencyIs}</Text> {currencyLabel(currencies.data.baseCurrency)}
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
  const t = useMessages(currencyMessages);
  const { language } = useLanguage();
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
    <form className={styles.row} aria-label={t.baseCurrency} onSubmit={submit}>
      {/* A native list: 160 currencies open at once and are found by typing, as a select is. */}
      <Field label={t.baseCurrency} hint={t.baseCurrencyHint}>
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
        {t.saveBase}
      </Button>
      <ChangeStatus change={save} what={t.baseNotChanged} />
      {confirming && (
        <ConfirmDialog
          title={translate(t.makeBaseTitle, { base })}
          text={translate(t[`ratesRemoved${countSuffix(language, rates)}`], {
            count: formatNumber(rates, 0),
            old: currencies.baseCurrency,
            base,
          })}
          confirm={translate(t.makeBase, { base })}
          pending={t.changing}
          change={save}
          what={t.baseNotChanged}
          onClose={() => setConfirming(false)}
        />
      )}
    </form>
  );
}

function RatesTable({ currencies, admin }: { currencies: Currencies; admin: boolean }) {
  const t = useMessages(currencyMessages);
  const base = currencies.baseCurrency;
  if (currencies.rates.length === 0) return <EmptyState>{translate(t.noRates, { base })}</EmptyState>;
  return (
    <Table size="small">
      <caption>{translate(t.ratesTo, { base })}</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">{t.currency}</TableHeaderCell>
          <TableHeaderCell scope="col">{translate(t.unitIn, { base })}</TableHeaderCell>
          <TableHeaderCell scope="col">{t.set}</TableHeaderCell>
          {admin && <TableHeaderCell scope="col">{t.actions}</TableHeaderCell>}
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
  const t = useMessages(currencyMessages);
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
  const date = formatDateTime(rate.setAt);
  const set = !rate.setBy
    ? date
    : rate.setBy.name === null
      ? translate(t.setByUnnamed, { date })
      : translate(t.setBy, { date, name: rate.setBy.name });

  return (
    <TableRow>
      <TableCell>{currencyLabel(rate.currency)}</TableCell>
      <TableCell>
        {admin ? (
          <Field validationState={typed.problem ? "error" : "none"} validationMessage={typed.problem}>
            <Input
              aria-label={translate(t.rateOf, { currency: rate.currency, base })}
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
              {t.saveRate}
            </Button>
            <Button
              icon={<DeleteRegular />}
              aria-label={translate(t.removeRateOf, { currency: rate.currency })}
              onClick={() => setRemoving(true)}
            />
          </div>
          <ChangeStatus change={save} what={translate(t.rateNotSaved, { currency: rate.currency })} />
          {removing && (
            <ConfirmDialog
              title={translate(t.removeRateTitle, { currency: rate.currency })}
              text={translate(t.removeRateText, { currency: rate.currency, base })}
              confirm={t.removeRate}
              pending={t.removing}
              change={remove}
              what={translate(t.rateNotRemoved, { currency: rate.currency })}
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
  const t = useMessages(currencyMessages);
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
    <form className={styles.row} aria-label={t.newRate} onSubmit={submit}>
      <Field label={t.currency}>
        <Select value={currency} onChange={(_, d) => setCurrency(d.value)}>
          <option value="">{t.chooseCurrency}</option>
          {offered.map((code) => (
            <option key={code} value={code}>
              {currencyLabel(code)}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label={currency ? translate(t.currencyIn, { currency, base }) : translate(t.unitIn, { base })}
        hint={translate(t.rateHint, { base })}
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
        {t.setRate}
      </Button>
      <ChangeStatus change={add} what={t.rateNotSet} done={t.rateSet} />
    </form>
  );
}

/** The deals' currencies that reports cannot convert yet, and deals without a currency at all. */
function MissingRates({ currencies }: { currencies: Currencies }) {
  const t = useMessages(currencyMessages);
  const kinds = useMessages(recordKindMessages);
  const { language } = useLanguage();
  const base = currencies.baseCurrency;
  const withRate = new Set(currencies.rates.map((r) => r.currency));
  const missing = currencies.dealCurrencies.filter(
    (d) => d.currency !== null && d.currency !== base && !withRate.has(d.currency),
  );
  const unpriced = currencies.dealCurrencies.find((d) => d.currency === null)?.deals ?? 0;
  if (missing.length === 0 && unpriced === 0) return null;
  const deals = (n: number) =>
    translate(kinds[`deal${countSuffix(language, n)}`], { count: formatNumber(n, 0) });
  const sentences = [
    missing.length > 0 &&
      translate(t.missingRates, {
        base,
        currencies: missing.map((d) => `${d.currency} (${deals(d.deals)})`).join(", "),
      }),
    unpriced > 0 && translate(t[`unpriced${countSuffix(language, unpriced)}`], { deals: deals(unpriced) }),
  ];
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>{sentences.filter(Boolean).join(" ")}</MessageBarBody>
    </MessageBar>
  );
}
