import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { useMe } from "../hooks";
import { translate } from "../../shared/languages";
import { useMessages } from "../i18n/language";
import { componentMessages } from "./components-messages";

const useStyles = makeStyles({
  notice: { marginBottom: tokens.spacingVerticalL },
});

/**
 * While an organisation has no admin, every page says how it gets one. With Microsoft 365 sign-in nobody
 * becomes an admin by being first (that could be any employee or guest): the tenant assigns the app role, or
 * whoever runs the server lists the person.
 */
export function NoAdminNotice() {
  const styles = useStyles();
  const me = useMe();
  const t = useMessages(componentMessages);
  if (!me.data || me.data.organization.hasAdmin) return null;
  const appRole = me.data.adminAppRole;
  return (
    <MessageBar intent="warning" layout="multiline" className={styles.notice}>
      <MessageBarBody>
        <MessageBarTitle>{t.noAdminTitle}</MessageBarTitle>
        {t.noAdminUntil} {appRole ? translate(t.noAdminAppRole, { role: appRole }) : t.noAdminServerList}{" "}
        {t.noAdminTakesEffect}
      </MessageBarBody>
    </MessageBar>
  );
}
