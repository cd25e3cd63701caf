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
    <Section title="A person's data">
      <Text>
        Everything Rapport holds about one person, as a file to give them; or their erasure: the contact with
        their addresses and phones, their tasks, what only they took part in, and their part of the emails
        others were on too. Other records (companies, deals, colleagues&apos; notes about someone else) are
        theirs and stay as they are. The audit trail keeps that an erasure happened, not what was erased.
      </Text>
      <form className={styles.row} onSubmit={submit} aria-label="Find a person">
        <Field label="Their email address">
          <Input type="email" value={address} onChange={(_, d) => setAddress(d.value)} />
        </Field>
        <Button type="submit" disabled={find.isPending || !address.trim()}>
          {find.isPending ? "Finding…" : "Find"}
        </Button>
      </form>
      {find.isError && <ProblemMessage error={find.error} onRetry={() => find.mutate(address.trim())} />}
      {find.isSuccess && !contact && (
        <Text role="status">{`No contact has the address ${find.variables}.`}</Text>
      )}
      {contact && (
        <div className={styles.row}>
          <Text weight="semibold">{`${contact.displayName} (${contact.emails.join(", ")})`}</Text>
          <Button disabled={download.isPending} onClick={() => download.mutate(contact)}>
            {download.isPending ? "Preparing…" : "Download their data (JSON)"}
          </Button>
          <Button appearance="primary" onClick={() => setConfirming(true)}>
            Erase everywhere…
          </Button>
        </div>
      )}
      <span role="status" aria-live="polite">
        {download.isSuccess && <Text>{`Downloaded ${download.data}`}</Text>}
      </span>
      {download.isError && <ProblemMessage error={download.error} what="The data could not be exported" />}
      {erase.isSuccess && <ErasedMessage result={erase.data} />}
      {contact && (
        <Dialog open={confirming} onOpenChange={(_, d) => setConfirming(d.open)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{`Erase ${contact.displayName} everywhere?`}</DialogTitle>
              <DialogContent>
                <Text block>
                  Their contact, addresses, phones and tasks, and the emails, calls and notes only they took
                  part in, are deleted; from emails others were on too, their address, name and the excerpt
                  are removed. Other records that mention them stay as they are. This cannot be undone.
                </Text>
                {erase.isError && <ProblemMessage error={erase.error} what="Nothing was erased" />}
              </DialogContent>
              <DialogActions>
                <Button disabled={erase.isPending} onClick={() => setConfirming(false)}>
                  Cancel
                </Button>
                <Button appearance="primary" disabled={erase.isPending} onClick={() => erase.mutate(contact)}>
                  {erase.isPending ? "Erasing…" : "Erase"}
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
  return (
    <MessageBar intent="success" layout="multiline">
      <MessageBarBody>
        {`Erased: ${result.interactionsDeleted} interactions and ${result.tasksDeleted} tasks deleted, ` +
          `${result.interactionsScrubbed} shared interactions cleaned.`}
      </MessageBarBody>
    </MessageBar>
  );
}
