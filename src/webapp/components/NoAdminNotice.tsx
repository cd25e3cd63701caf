import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { useMe } from "../hooks";

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
  if (!me.data || me.data.organization.hasAdmin) return null;
  const appRole = me.data.adminAppRole;
  return (
    <MessageBar intent="warning" layout="multiline" className={styles.notice}>
      <MessageBarBody>
        <MessageBarTitle>Your organisation has no Rapport admin yet</MessageBarTitle>
        Until it has one, nobody can change the organisation's settings, turn on mailbox syncing or change
        people's roles.{" "}
        {appRole
          ? `An administrator of your Microsoft 365 tenant makes someone an admin in the Microsoft Entra admin center: Enterprise applications → Rapport → Users and groups → Add user/group, with the role “${appRole}”. Whoever runs the Rapport server can instead list them in RAPPORT_ADMINS.`
          : "Whoever runs the Rapport server makes someone an admin by listing them in RAPPORT_ADMINS."}{" "}
        It takes effect once that person signs out of Rapport and in again.
      </MessageBarBody>
    </MessageBar>
  );
}
