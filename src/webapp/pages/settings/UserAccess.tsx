import { Badge, Button, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { translate } from "../../../shared/languages";
import type { User } from "../../../shared/users";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ConfirmDialog } from "./ConfirmDialog";
import { CopyableLink } from "./CopyableLink";
import { teamMessages } from "./team-messages";

const useStyles = makeStyles({
  cell: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "center" },
});

/**
 * An admin's hold on a user's access: deactivate (their sessions end at once) or reactivate, after asking, and a
 * one-time reset link to hand over. The server keeps the organisation an active admin and says why it refuses.
 */
export function UserAccess({ user, self }: { user: User; self: boolean }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(teamMessages);
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const name = user.displayName ?? user.email ?? user.id;
  const active = user.deactivatedAt === null;
  const toggle = useMutation({
    mutationFn: () => api(active ? "deactivateUser" : "reactivateUser", { params: { id: user.id } }),
    onSuccess: () => setAsking(false),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["users"] }),
  });
  const reset = useMutation({
    mutationFn: () => api("createPasswordResetLink", { params: { id: user.id } }),
  });
  return (
    <div className={styles.cell}>
      <div className={styles.actions}>
        {!active && <Badge color="danger">{t.deactivated}</Badge>}
        {!self && (
          <Button
            size="small"
            aria-label={translate(active ? t.deactivateUser : t.reactivateUser, { name })}
            onClick={() => setAsking(true)}
          >
            {active ? t.deactivate : t.reactivate}
          </Button>
        )}
        {active && (
          <Button
            size="small"
            aria-label={translate(t.resetLinkFor, { name })}
            disabledFocusable={reset.isPending}
            onClick={() => reset.mutate()}
          >
            {t.resetLink}
          </Button>
        )}
      </div>
      {reset.data && <CopyableLink label={translate(t.resetLinkMade, { name })} link={reset.data.link} />}
      {reset.isError && (
        <ProblemMessage
          error={reset.error}
          what={translate(t.resetLinkNotMade, { name })}
          onRetry={() => reset.mutate()}
        />
      )}
      {asking && (
        <ConfirmDialog
          title={translate(active ? t.deactivateTitle : t.reactivateTitle, { name })}
          text={translate(active ? t.deactivateText : t.reactivateText, { name })}
          confirm={active ? t.deactivate : t.reactivate}
          pending={active ? t.deactivating : t.reactivating}
          change={toggle}
          what={translate(active ? t.notDeactivated : t.notReactivated, { name })}
          onClose={() => {
            setAsking(false);
            toggle.reset();
          }}
        />
      )}
    </div>
  );
}
