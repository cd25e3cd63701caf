import {
  Badge,
  Button,
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
import { useState } from "react";
import type { Session } from "../../../shared/accounts";
import { translate } from "../../../shared/languages";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatDateTime } from "../../format";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ConfirmDialog } from "../settings/ConfirmDialog";
import { accountMessages } from "./account-messages";

const useStyles = makeStyles({
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

const SESSIONS = ["account-sessions"] as const;

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\bFirefox\//, "Firefox"],
  [/\b(Chrome|CriOS)\//, "Chrome"],
  [/\bSafari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/\bWindows\b/, "Windows"],
  [/\b(iPhone|iPad)\b/, "iOS"],
  [/\bMac OS X\b/, "macOS"],
  [/\bAndroid\b/, "Android"],
  [/\bLinux\b/, "Linux"],
];

/** "Firefox · Windows" from a browser's user agent, as far as it says; the agent itself when it names neither. */
export function describeAgent(agent: string | null): string | null {
  if (!agent) return null;
  const browser = BROWSERS.find(([pattern]) => pattern.test(agent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(agent))?.[1];
  const parts = [browser, system].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(" · ") : agent.slice(0, 80);
}

/** The user's open sessions, this one marked; one ended, or this one, or every one (after asking). */
export function SessionsSection() {
  const styles = useStyles();
  const { api, signOut } = useWebApp();
  const t = useMessages(accountMessages);
  const sessions = useQuery({ queryKey: SESSIONS, queryFn: () => api("listSessions", {}) });
  const [everywhere, setEverywhere] = useState(false);
  // Once the server has ended the session, this browser forgets it and goes back to the sign-in page.
  const signOutHere = useMutation({ mutationFn: () => api("signOut", {}), onSuccess: () => signOut() });
  const signOutEverywhere = useMutation({
    mutationFn: () => api("signOutEverywhere", {}),
    onSuccess: () => signOut(),
  });
  return (
    <Section
      title={t.sessionsSection}
      actions={
        <div className={styles.actions}>
          <Button disabledFocusable={signOutHere.isPending} onClick={() => signOutHere.mutate()}>
            {signOutHere.isPending ? t.signingOut : t.signOut}
          </Button>
          <Button appearance="primary" onClick={() => setEverywhere(true)}>
            {t.signOutEverywhere}
          </Button>
        </div>
      }
    >
      {signOutHere.isError && (
        <ProblemMessage
          error={signOutHere.error}
          what={t.notSignedOut}
          onRetry={() => signOutHere.mutate()}
        />
      )}
      {sessions.isPending && <Loading label={t.loadingSessions} />}
      {sessions.isError && (
        <ProblemMessage
          error={sessions.error}
          onRetry={() => void sessions.refetch()}
          what={t.sessionsNotLoaded}
        />
      )}
      {sessions.data &&
        (sessions.data.items.length === 0 ? (
          <EmptyState>{t.noSessions}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.sessionsCaption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.device}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.signedInAt}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.lastUsed}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.end}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sessions.data.items.map((s) => (
                <SessionRow key={s.id} session={s} />
              ))}
            </TableBody>
          </Table>
        ))}
      {everywhere && (
        <ConfirmDialog
          title={t.signOutEverywhereTitle}
          text={t.signOutEverywhereText}
          confirm={t.signOutEverywhere}
          pending={t.signingOut}
          change={signOutEverywhere}
          what={t.notSignedOut}
          onClose={() => {
            setEverywhere(false);
            signOutEverywhere.reset();
          }}
        />
      )}
    </Section>
  );
}

function SessionRow({ session }: { session: Session }) {
  const { api } = useWebApp();
  const t = useMessages(accountMessages);
  const queryClient = useQueryClient();
  const end = useMutation({
    mutationFn: () => api("endSession", { params: { id: session.id } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: SESSIONS }),
  });
  const device = describeAgent(session.userAgent) ?? t.unknownDevice;
  return (
    <TableRow>
      <TableCell>
        {device} {session.current && <Badge appearance="tint">{t.thisSession}</Badge>}
      </TableCell>
      <TableCell>{formatDateTime(session.createdAt)}</TableCell>
      <TableCell>{formatDateTime(session.lastUsedAt)}</TableCell>
      <TableCell>
        {!session.current && (
          <Button
            size="small"
            aria-label={translate(t.endSession, { device })}
            disabledFocusable={end.isPending}
            onClick={() => end.mutate()}
          >
            {end.isPending ? t.ending : t.end}
          </Button>
        )}
        {end.isError && (
          <ProblemMessage error={end.error} what={t.sessionNotEnded} onRetry={() => end.mutate()} />
        )}
      </TableCell>
    </TableRow>
  );
}
