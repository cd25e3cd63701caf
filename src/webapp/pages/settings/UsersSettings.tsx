import {
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@fluentui/react-components";
import type { AdminGrant, Role, User } from "../../../shared/users";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useUsers } from "../../hooks";
import { formatDateTime } from "../../format";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { translate } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import { type SettingsWord, settingsMessages } from "./settings-messages";
import { Dropdown } from "../../components/choice-inputs";
import { teamMessages } from "./team-messages";
import { UserAccess } from "./UserAccess";

const ROLES: Record<Role, SettingsWord> = { admin: "roleAdmin", member: "roleMember" };
/** A role that comes with the sign-in is changed where it was granted, not here. */
const GRANTED: Record<AdminGrant, SettingsWord> = {
  app_role: "grantedByAppRole",
  server_list: "grantedByServerList",
};

/** Who is in the organisation and who may change its settings; an organisation always keeps one admin. */
export function UsersSettings({ admin, selfId }: { admin: boolean; selfId?: string }) {
  const users = useUsers();
  const t = useMessages(settingsMessages);
  const team = useMessages(teamMessages);
  return (
    <Section title={t.usersSection}>
      {users.isPending && <Loading label={t.loadingUsers} />}
      {users.isError && (
        <ProblemMessage error={users.error} onRetry={() => void users.refetch()} what={t.usersNotLoaded} />
      )}
      {users.data &&
        (users.data.items.length === 0 ? (
          <EmptyState>{t.nobodySignedIn}</EmptyState>
        ) : (
          <Table size="small">
            <caption>{t.usersCaption}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t.name}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.email}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.lastSeen}</TableHeaderCell>
                <TableHeaderCell scope="col">{t.role}</TableHeaderCell>
                {admin && <TableHeaderCell scope="col">{team.access}</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.data.items.map((u) => (
                <UserRow key={u.id} user={u} admin={admin} self={u.id === selfId} />
              ))}
            </TableBody>
          </Table>
        ))}
    </Section>
  );
}

function UserRow({ user, admin, self }: { user: User; admin: boolean; self: boolean }) {
  const { api } = useWebApp();
  const t = useMessages(settingsMessages);
  const change = useChange(
    (role: Role) => api("updateUser", { params: { id: user.id }, body: { role } }),
    [["users"], ["me"]],
  );
  const name = user.displayName ?? user.email ?? user.id;
  return (
    <TableRow>
      <TableCell>{user.displayName ?? "–"}</TableCell>
      <TableCell>{user.email ?? "–"}</TableCell>
      <TableCell>{user.lastSeenAt ? formatDateTime(user.lastSeenAt) : t.never}</TableCell>
      <TableCell>
        {user.adminGrant ? (
          t[GRANTED[user.adminGrant]]
        ) : admin ? (
          <>
            <Dropdown
              aria-label={translate(t.roleOf, { name })}
              value={t[ROLES[user.role]]}
              selectedOptions={[user.role]}
              disabled={change.isPending}
              onOptionSelect={(_, d) =>
                d.optionValue && d.optionValue !== user.role && change.mutate(d.optionValue as Role)
              }
            >
              <Option value="admin">{t.roleAdmin}</Option>
              <Option value="member">{t.roleMember}</Option>
            </Dropdown>
            <ChangeStatus change={change} what={translate(t.roleNotChanged, { name })} />
          </>
        ) : (
          t[ROLES[user.role]]
        )}
      </TableCell>
      {admin && (
        <TableCell>
          <UserAccess user={user} self={self} />
        </TableCell>
      )}
    </TableRow>
  );
}
