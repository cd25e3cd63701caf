import {
  Dropdown,
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

const ROLES: Record<Role, string> = { admin: "Admin", member: "Member" };
/** A role that comes with the sign-in is changed where it was granted, not here. */
const GRANTED: Record<AdminGrant, string> = {
  app_role: "Admin, through the Entra app role (changed in Entra)",
  server_list: "Admin, through the server's RAPPORT_ADMINS",
};

/** Who is in the organisation and who may change its settings; an organisation always keeps one admin. */
export function UsersSettings({ admin }: { admin: boolean }) {
  const users = useUsers();
  return (
    <Section title="Users and roles">
      {users.isPending && <Loading label="Loading the users…" />}
      {users.isError && (
        <ProblemMessage
          error={users.error}
          onRetry={() => void users.refetch()}
          what="The users could not be loaded"
        />
      )}
      {users.data &&
        (users.data.items.length === 0 ? (
          <EmptyState>Nobody has signed in yet.</EmptyState>
        ) : (
          <Table size="small">
            <caption>Users and their roles</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">Name</TableHeaderCell>
                <TableHeaderCell scope="col">Email</TableHeaderCell>
                <TableHeaderCell scope="col">Last seen</TableHeaderCell>
                <TableHeaderCell scope="col">Role</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.data.items.map((u) => (
                <UserRow key={u.id} user={u} admin={admin} />
              ))}
            </TableBody>
          </Table>
        ))}
    </Section>
  );
}

function UserRow({ user, admin }: { user: User; admin: boolean }) {
  const { api } = useWebApp();
  const change = useChange(
    (role: Role) => api("updateUser", { params: { id: user.id }, body: { role } }),
    [["users"], ["me"]],
  );
  const name = user.displayName ?? user.email ?? user.id;
  return (
    <TableRow>
      <TableCell>{user.displayName ?? "–"}</TableCell>
      <TableCell>{user.email ?? "–"}</TableCell>
      <TableCell>{user.lastSeenAt ? formatDateTime(user.lastSeenAt) : "Never"}</TableCell>
      <TableCell>
        {user.adminGrant ? (
          GRANTED[user.adminGrant]
        ) : admin ? (
          <>
            <Dropdown
              aria-label={`Role of ${name}`}
              value={ROLES[user.role]}
              selectedOptions={[user.role]}
              disabled={change.isPending}
              onOptionSelect={(_, d) =>
                d.optionValue && d.optionValue !== user.role && change.mutate(d.optionValue as Role)
              }
            >
              <Option value="admin">Admin</Option>
              <Option value="member">Member</Option>
            </Dropdown>
            <ChangeStatus change={change} what={`${name}'s role was not changed`} />
          </>
        ) : (
          ROLES[user.role]
        )}
      </TableCell>
    </TableRow>
  );
}
