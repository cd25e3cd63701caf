import { Button, Field, Input, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { PersonAdd20Regular } from "@fluentui/react-icons/svg/person-add";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Suggestion } from "../../../shared/people";
import type { OutlookContact } from "../../auth/outlook-contacts";
import type { SignatureFacts } from "../../../shared/signature";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

const useStyles = makeStyles({
  form: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    marginTop: tokens.spacingVerticalM,
  },
});

interface Draft {
  displayName: string;
  title: string;
  phone: string;
  company: string;
}

/**
 * "Add to Rapport", filled from what the email tells: the name from the display name, the title, phone and
 * company from the sender's signature, the company matched by domain. One click saves; every field can be fixed
 * first.
 */
export function AddToRapportForm({
  email,
  suggestion,
  signature,
  outlook = null,
}: {
  email: string;
  suggestion: Suggestion | null;
  signature: SignatureFacts | null;
  /** The rep's own Outlook contact for the address: what they typed themselves comes first. */
  outlook?: OutlookContact | null;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => ({
    displayName: outlook?.displayName ?? suggestion?.displayName ?? "",
    title: outlook?.jobTitle ?? signature?.title ?? "",
    phone: outlook?.phones[0] ?? signature?.phones[0] ?? "",
    // A company Rapport already has for the domain wins: the new contact joins it instead of a near-twin.
    company: suggestion?.company?.name ?? outlook?.companyName ?? signature?.company ?? "",
  }));
  const [nameMissing, setNameMissing] = useState(false);

  const add = useMutation({
    mutationFn: async (values: Draft) => {
      const companyName = values.company.trim();
      let companyId: string | null = null;
      if (companyName && suggestion?.company && companyName === suggestion.company.name) {
        companyId = suggestion.company.id;
      } else if (companyName) {
        // A new company takes the sender's domain, unless it is free-mail or our own, so the next sender matches.
        const domain = suggestion && !suggestion.freeMail && !suggestion.internal ? suggestion.domain : null;
        companyId = (await api("createCompany", { body: { name: companyName, domain } })).id;
      }
      return api("createContact", {
        body: {
          displayName: values.displayName.trim(),
          firstName: suggestion?.displayName === values.displayName ? suggestion.firstName : undefined,
          lastName: suggestion?.displayName === values.displayName ? suggestion.lastName : undefined,
          emails: [email],
          title: values.title.trim() || null,
          phone: values.phone.trim() || null,
          companyId,
          source: "pane",
        },
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["lookup"] }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.displayName.trim()) return setNameMissing(true);
    setNameMissing(false);
    add.mutate(draft);
  };
  const field = (key: keyof Draft) => ({
    value: draft[key],
    onChange: (_: unknown, data: { value: string }) => setDraft((d) => ({ ...d, [key]: data.value })),
  });

  return (
    <form className={styles.form} onSubmit={submit} aria-label={t("addToRapport")}>
      <Field label={t("fieldName")} required validationMessage={nameMissing ? t("nameRequired") : undefined}>
        <Input {...field("displayName")} />
      </Field>
      <Field label={t("fieldTitle")}>
        <Input {...field("title")} />
      </Field>
      <Field label={t("fieldPhone")}>
        <Input type="tel" {...field("phone")} />
      </Field>
      <Field label={t("fieldCompany")}>
        <Input {...field("company")} />
      </Field>
      <Button
        type="submit"
        appearance="primary"
        disabled={add.isPending}
        icon={add.isPending ? <Spinner size="tiny" /> : <PersonAdd20Regular />}
      >
        {add.isPending ? t("adding") : t("addToRapport")}
      </Button>
      {add.isError && <ErrorMessage error={add.error} onRetry={() => add.mutate(draft)} />}
    </form>
  );
}
