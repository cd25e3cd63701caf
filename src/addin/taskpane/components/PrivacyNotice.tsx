import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import type { SkipReason } from "../../../shared/privacy";
import { useI18n } from "../i18n/i18n";

/** Why Rapport would not log this email by itself; a click still logs it (the rep's call), after this warning. */
export function PrivacyNotice({ reason }: { reason: SkipReason }) {
  const { t } = useI18n();
  if (reason === "no_participants") return null;
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        {reason === "internal_only"
          ? t("privacyInternal")
          : reason === "blocked_participant"
            ? t("privacyBlocked")
            : reason === "unreadable_participant"
              ? t("privacyUnreadable")
              : t("privacyBulk")}
      </MessageBarBody>
    </MessageBar>
  );
}
