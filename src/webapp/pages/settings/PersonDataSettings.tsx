import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { ContactProfile } from "../../../shared/people";
import type { ContactErased } from "../../../shared/person-data";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { saveFile } from "../../save-file";
import { useWebApp } from "../../services";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { settingsMessages } from "./settings-messages";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
});

/**
 * A person's rights over what the CRM holds about them: everything about one contact as a file to hand over,
 * and its erasure. Admins only: a person's request about their data goes to them. Found by address, as the request from the person usually arrives by email.
 */
export function PersonDataSettings() {
  const styles = useStyles();
  const { api } = useWebApp();
  const queryClient = useQueryClient();
  const t = useMessages(settingsMessages);
  const [address, setAddress] = useState("");
  const [confirming, setConfirming] = useState(false);
  const find = useMutation({
    mutationFn: async (email: string) => {
      const { results } = await api("lookupPeople", { query: { email: [email] } });
      return results[0]?.contact ?? null;
    },
  });
  const download = useMutation({
    mutationFn: async (contact: ContactProfile) => {
      const data = await api("exportPersonData", { params: { id: contact.id } });
      const file = {
        blob: new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }),
        filename: `person-data-${contact.id}.json`,
      };
      saveFile(file);
      return file.filename;
    },
  });
  const erase = useMutation({
    mutationFn: (contact: ContactProfile) => api("eraseContact", { params: { id: contact.id } }),
    onSuccess: () => {
      setConfirming(false);
      find.reset();
      download.reset();
      void queryClient.invalidateQueries();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!address.trim()) return;
    erase.reset();
    download.reset();
    find.mutate(address.trim());
  };
  const contact = find.data ?? null;
  return (
    <Section title={t.personDataSection}>
      <Text>{t.personDataIntro}</Text>
      <form className={styles.row} onSubmit={submit} aria-label={t.findPerson}>
        <Field label={t.theirEmail}>
          <Input type="email" value={address} onChange={(_, d) => setAddress(d.value)} />
        </Field>
        <Button type="submit" disabled={find.isPending || !address.trim()}>
          {find.isPending ? t.finding : t.find}
        </Button>
      </form>
      {find.isError && <ProblemMessage error={find.error} onRetry={() => find.mutate(address.trim())} />}
      {find.isSuccess && !contact && (
        <Text role="status">{translate(t.noContactWithAddress, { address: find.variables })}</Text>
      )}
      {contact && (
        <div className={styles.row}>
          <Text weight="semibold">{`${contact.displayName} (${contact.emails.join(", ")})`}</Text>
          <Button disabled={download.isPending} onClick={() => download.mutate(contact)}>
            {download.isPending ? t.preparing : t.downloadData}
          </Button>
          <Button appearance="primary" onClick={() => setConfirming(true)}>
            {t.eraseEverywhereButton}
          </Button>
        </div>
      )}
      <span role="status" aria-live="polite">
        {download.isSuccess && <Text>{translate(t.downloaded, { file: download.data })}</Text>}
      </span>
      {download.isError && <ProblemMessage error={download.error} what={t.notExported} />}
      {erase.isSuccess && <ErasedMessage result={erase.data} />}
      {contact && (
        <Dialog open={confirming} onOpenChange={(_, d) => setConfirming(d.open)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{translate(t.eraseTitle, { name: contact.displayName })}</DialogTitle>
              <DialogContent>
                <Text block>{t.eraseText}</Text>
                {erase.isError && <ProblemMessage error={erase.error} what={t.nothingErased} />}
              </DialogContent>
              <DialogActions>
                <Button disabled={erase.isPending} onClick={() => setConfirming(false)}>
                  {t.cancel}
                </Button>
                <Button appearance="primary" disabled={erase.isPending} onClick={() => erase.mutate(contact)}>
                  {erase.isPending ? t.erasing : t.erase}
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </Section>
  );
}

function ErasedMessage({ result }: { result: ContactErased }) {
  const t = useMessages(settingsMessages);
  return (
    <MessageBar intent="success" layout="multiline">
      <MessageBarBody>
        {translate(t.erased, {
          interactions: result.interactionsDeleted,
          tasks: result.tasksDeleted,
          scrubbed: result.interactionsScrubbed,
        })}
      </MessageBarBody>
    </MessageBar>
  );
}
