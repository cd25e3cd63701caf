import { Text, makeStyles, tokens } from "@fluentui/react-components";
import type { Invoice } from "../../../shared/invoices";
import { useMessages } from "../../i18n/language";
import { accountMessages } from "./account-messages";

const useStyles = makeStyles({
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

/**
 * An invoice's status in words; an open one with something left to pay past its due date reads "Overdue", as
 * the server counts it (due before today, today in the reader's time zone).
 */
export function InvoiceStatusText({ invoice, today }: { invoice: Invoice; today: string | null }) {
  const styles = useStyles();
  const t = useMessages(accountMessages);
  const overdue =
    invoice.status === "open" &&
    today !== null &&
    invoice.dueDate < today &&
    !invoice.balance.startsWith("-") &&
    /[1-9]/.test(invoice.balance);
  if (overdue) return <Text className={styles.overdue}>{t.status_overdue}</Text>;
  return <Text>{t[`status_${invoice.status}`]}</Text>;
}
