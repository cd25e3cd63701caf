import { Button, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import { DeleteRegular } from "@fluentui/react-icons/svg/delete";
import { type FormEvent, useState } from "react";
import { fieldErrorsOf } from "../../../client/problems";
import { currencyChoices, currencyDecimals } from "../../../shared/currencies";
import { translate } from "../../../shared/languages";
import { Percent, PriceAmount, type Product, fitsCurrency } from "../../../shared/products";
import { useCurrencies } from "../../hooks";
import { useMessages } from "../../i18n/language";
import { CurrencyDropdown } from "../../lists/CurrencyDropdown";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "../settings/change";
import { readTypedDecimal, typedFormOf } from "./decimals";
import { productMessages } from "./product-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, maxWidth: "40rem" },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "flex-end", flexWrap: "wrap" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

interface PriceRow {
  key: number;
  currency: string;
  typed: string;
}

let rowKeys = 0;
const priceRow = (currency: string, typed: string): PriceRow => ({ key: ++rowKeys, currency, typed });

/**
 * A product's fields and its prices, one per currency, typed as the reader writes numbers ("1 499,50"). Checked
 * here as the server checks them, so a mistake is said beside its field before anything is sent; the server's own
 * refusal is said beside the field it names too.
 */
export function ProductForm({ product, onDone }: { product: Product | null; onDone(): void }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(productMessages);
  const base = useCurrencies().data?.baseCurrency ?? "EUR";
  const [name, setName] = useState(product?.name ?? "");
  const [code, setCode] = useState(product?.code ?? "");
  const [unit, setUnit] = useState(product?.unit ?? "");
  const [taxRate, setTaxRate] = useState(product ? typedFormOf(product.taxRate) : "");
  const [prices, setPrices] = useState<PriceRow[]>(
    product ? product.prices.map((p) => priceRow(p.currency, typedFormOf(p.amount))) : [priceRow(base, "")],
  );
  const [checked, setChecked] = useState(false);

  const save = useChange(
    (body: {
      name: string;
      code: string;
      unit: string | null;
      taxRate: string;
      prices: { currency: string; amount: string }[];
    }) =>
      product
        ? api("updateProduct", { params: { id: product.id }, body: { ...body, version: product.version } })
        : api("createProduct", { body }),
    [["products"]],
  );
  const serverErrors = fieldErrorsOf(save.error, "body.");

  const typedTax = readTypedDecimal(taxRate);
  const taxProblem = typedTax === null || !Percent.safeParse(typedTax).success ? t.invalidPercent : undefined;
  const priceProblems = prices.map((row, i) => {
    if (prices.findIndex((p) => p.currency === row.currency) < i)
      return translate(t.onePricePerCurrency, { currency: row.currency });
    const amount = readTypedDecimal(row.typed);
    if (amount === null || !PriceAmount.safeParse(amount).success || !fitsCurrency(amount, row.currency))
      return translate(t.invalidPrice, { decimals: currencyDecimals(row.currency), currency: row.currency });
    return undefined;
  });
  const valid = name.trim() !== "" && code.trim() !== "" && !taxProblem && priceProblems.every((p) => !p);
  const shown = (problem: string | undefined, server: string | undefined) =>
    (checked ? problem : undefined) ?? server;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!valid) return;
    save.mutate(
      {
        name: name.trim(),
        code: code.trim(),
        unit: unit.trim() || null,
        taxRate: typedTax as string,
        prices: prices.map((p) => ({ currency: p.currency, amount: readTypedDecimal(p.typed) as string })),
      },
      { onSuccess: onDone },
    );
  };
  const choices = currencyChoices(base);
  const label = product ? translate(t.editProduct, { name: product.name }) : t.newProduct;
  return (
    <form className={styles.form} aria-label={label} onSubmit={submit} noValidate>
      <div className={styles.row}>
        <Field
          label={t.name}
          required
          validationMessage={shown(name.trim() ? undefined : t.required, serverErrors.name)}
        >
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
        <Field
          label={t.code}
          required
          validationMessage={shown(code.trim() ? undefined : t.required, serverErrors.code)}
        >
          <Input value={code} onChange={(_, d) => setCode(d.value)} />
        </Field>
        <Field label={t.unit} hint={t.unitHint} validationMessage={serverErrors.unit}>
          <Input value={unit} onChange={(_, d) => setUnit(d.value)} />
        </Field>
        <Field label={t.taxRate} required validationMessage={shown(taxProblem, serverErrors.taxRate)}>
          <Input value={taxRate} inputMode="decimal" onChange={(_, d) => setTaxRate(d.value)} />
        </Field>
      </div>
      <fieldset className={styles.form}>
        <legend>{t.prices}</legend>
        {prices.map((row, i) => (
          <div className={styles.row} key={row.key}>
            <Field label={t.currency}>
              <CurrencyDropdown
                currencies={choices}
                required
                value={row.currency}
                onValue={(currency) =>
                  setPrices(prices.map((p) => (p.key === row.key ? { ...p, currency } : p)))
                }
              />
            </Field>
            <Field
              label={translate(t.priceIn, { currency: row.currency })}
              validationMessage={shown(
                priceProblems[i],
                serverErrors[`prices.${i}.amount`] ?? serverErrors[`prices.${i}.currency`],
              )}
            >
              <Input
                value={row.typed}
                inputMode="decimal"
                onChange={(_, d) =>
                  setPrices(prices.map((p) => (p.key === row.key ? { ...p, typed: d.value } : p)))
                }
              />
            </Field>
            <Button
              icon={<DeleteRegular />}
              aria-label={translate(t.removePrice, { currency: row.currency })}
              onClick={() => setPrices(prices.filter((p) => p.key !== row.key))}
            />
          </div>
        ))}
        <div>
          <Button
            onClick={() => {
              const free = [...choices.common, ...choices.other].find(
                (c) => !prices.some((p) => p.currency === c),
              );
              setPrices([...prices, priceRow(free ?? base, "")]);
            }}
          >
            {t.addPrice}
          </Button>
        </div>
      </fieldset>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={save.isPending}>
          {product ? t.save : t.createProduct}
        </Button>
        <Button onClick={onDone}>{t.cancel}</Button>
        <ChangeStatus change={save} what={t.notSaved} done={t.saved} />
      </div>
    </form>
  );
}
