import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Invitation } from "../../../shared/accounts";
import { translate } from "../../../shared/languages";
import type { Role } from "../../../shared/users";
import { Dropdown } from "../../components/choice-inputs";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDateTime } from "../../format";
import { useLanguage, useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ConfirmDialog } from "./ConfirmDialog";
import { CopyableLink } from "./CopyableLink";
import { teamMessages } from "./team-messages";

const useStyles = makeStyles({
  form: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "flex-end", flexWrap: "wrap" },
  address: { minWidth: "18rem" },
});

const INVITATIONS = ["invitations"] as const;

/** An admin invites colleagues by address (the link to copy, and mailed where the server sends mail), and withdraws invitations. */
export function InvitationsSettings() {
  const styles = useStyles();
  const { api } = useWebApp();
  const { language } = useLanguage();
  const t = useMessages(teamMessages);
  const queryClient = useQueryClient();
  const invitations = useQuery({ queryKey: INVITATIONS, queryFn: () => api("listInvitations", {}) });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const invite = useMutation({
    // The invitation is mailed in the admin's language: the one they read Rapport in.
    mutationFn: () => api("createInvitation", { body: { email: email.trim(), role, language } }),
    onSuccess: () => setEmail(""),
    onSettled: () => queryClient.invalidateQueries({ queryKey: INVITATIONS }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (email.trim() !== "" && !invite.isPending) invite.mutate();
  };
  const pending = invitations.data?.items.filter((i) => i.status === "pending") ?? [];
  const made = invite.data;
  const mailWord = made
    ? { sent: t.mailSent, failed: t.mailFailed, not_configured: t.mailNotConfigured }[made.mail]
    : "";
  return (
    <Section title={t.invitationsSection}>
      <form className={styles.form} onSubmit={submit}>
        <Field label={t.inviteAddress} required className={styles.address}>
          <Input type="email" autoComplete="off" value={email} onChange={(_, d) => setEmail(d.value)} />
        </Field>
        <Field label={t.inviteRole}>
          <Dropdown
            value={role === "admin" ? t.roleAdmin : t.roleMember}
            selectedOptions={[role]}
            onOptionSelect={(_, d) => d.optionValue && setRole(d.optionValue as Role)}
          >
            <Option value="member">{t.roleMember}</Option>
            <Option value="admin">{t.roleAdmin}</Option>
          </Dropdown>
        </Field>
        <Button
          type="submit"
          appearance="primary"
          disabledFocusable={email.trim() === "" || invite.isPending}
        >
          {invite.isPending ? t.inviting : t.invite}
        </Button>
      </form>
      {invite.isError && (
        <ProblemMessage error={invite.error} what={t.notInvited} onRetry={() => invite.mutate()} />
      )}
      {made && (
        <>
          <MessageBar intent={made.mail === "sent" ? "success" : "warning"} layout="multiline">
            <MessageBarBody>{translate(mailWord, { email: made.invitation.email })}</MessageBarBody>
          </MessageBar>
          <CopyableLink label={t.linkToCopy} link={made.link} />
        </>
      )}
      {invitations.isPending && <Loading label={t.loadingInvitations} />}
      {invitations.isError && (
        <ProblemMessage
          error={invitations.error}
          onRetry={() => void invitations.refetch()}
          what={t.invitationsNotLoaded}
        />
      )}
      {invitations.data &&
        (pending.length === 0 ? (
          <EmptyState>{t.noInvitations}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.invitationsCaption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.invitedAddress}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.inviteRole}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.expires}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.revoke}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {pending.map((i) => (
                <TableRow key={i.id}>
                  <TableCell>{i.email}</TableCell>
                  <TableCell>{i.role === "admin" ? t.roleAdmin : t.roleMember}</TableCell>
                  <TableCell>{formatDateTime(i.expiresAt)}</TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      aria-label={translate(t.revokeInvitation, { email: i.email })}
                      onClick={() => setRevoking(i)}
                    >
                      {t.revoke}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
      {revoking && <RevokeInvitation invitation={revoking} onClose={() => setRevoking(null)} />}
    </Section>
  );
}

function RevokeInvitation({ invitation, onClose }: { invitation: Invitation; onClose(): void }) {
  const { api } = useWebApp();
  const t = useMessages(teamMessages);
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api("revokeInvitation", { params: { id: invitation.id } }),
    onSuccess: onClose,
    onSettled: () => queryClient.invalidateQueries({ queryKey: INVITATIONS }),
  });
  return (
    <ConfirmDialog
      title={t.revokeTitle}
      text={translate(t.revokeText, { email: invitation.email })}
      confirm={t.revoke}
      pending={t.revoking}
      change={revoke}
      what={t.notRevoked}
      onClose={onClose}
    />
  );
}
