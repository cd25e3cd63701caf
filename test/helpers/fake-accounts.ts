import { ApiError } from "../../src/client/problems";
import {
  Invitation,
  InvitationCreated,
  type MailOutcome,
  Passkey,
  Session,
  SignInPolicyChanged,
} from "../../src/shared/accounts";
import { Problem } from "../../src/shared/errors";
import type { RouteName } from "../../src/shared/routes";
import { User } from "../../src/shared/users";

const now = "2026-11-20T09:30:00.000Z";
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const problem = (status: number, code: Problem["code"], detail: string) =>
  new ApiError(status, Problem.parse({ type: "about:blank", title: code, status, detail, code }));

/** Rapport's own accounts as the fake server holds them: the caller's sessions and passkeys, invitations, the policy. */
export interface FakeAccounts {
  sessions: Session[];
  passkeys: Passkey[];
  invitations: Invitation[];
  microsoft365Only: boolean;
  /** What the next invitation's mail comes to. */
  mail: MailOutcome;
  /** The password the server takes as the caller's current one. */
  password: string;
}

export const UNHANDLED = Symbol("not an account route");

export function fakeAccounts(): FakeAccounts {
  return {
    sessions: [
      Session.parse({
        id: id(90),
        userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/133.0",
        createdAt: now,
        lastUsedAt: now,
        expiresAt: "2026-12-20T09:30:00.000Z",
        current: true,
      }),
      Session.parse({
        id: id(91),
        userAgent:
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1",
        createdAt: "2026-11-01T08:00:00.000Z",
        lastUsedAt: "2026-11-19T17:00:00.000Z",
        expiresAt: "2026-12-19T17:00:00.000Z",
        current: false,
      }),
    ],
    passkeys: [],
    invitations: [],
    microsoft365Only: false,
    mail: "sent",
    password: "the current long password",
  };
}

/** Answers the account routes as the server would, on the fake's state; UNHANDLED for any other route. */
export function handleAccounts(
  state: FakeAccounts,
  users: { id: string; deactivatedAt: string | null; displayName: string | null }[],
  name: RouteName,
  params: Record<string, string> | undefined,
  body: Record<string, unknown> | undefined,
): unknown {
  switch (name) {
    case "listSessions":
      return { items: state.sessions };
    case "endSession": {
      const before = state.sessions.length;
      state.sessions = state.sessions.filter((s) => s.id !== params?.id);
      return { ended: before - state.sessions.length };
    }
    case "signOut":
      state.sessions = state.sessions.filter((s) => !s.current);
      return { ended: 1 };
    case "signOutEverywhere": {
      const ended = state.sessions.length;
      state.sessions = [];
      return { ended };
    }
    case "changePassword":
      if (body?.currentPassword !== state.password)
        throw problem(401, "invalid_credentials", "The email address or the password is not right.");
      state.password = String(body?.newPassword);
      state.sessions = state.sessions.filter((s) => s.current);
      return { ended: 1 };
    case "listPasskeys":
      return { items: state.passkeys };
    case "passkeyRegistrationOptions":
      return { challenge: "a-challenge-from-the-server", rp: { id: "localhost", name: "Rapport" } };
    case "registerPasskey": {
      if (body?.currentPassword !== state.password)
        throw problem(401, "invalid_credentials", "The current password is not right.");
      const passkey = Passkey.parse({
        id: id(100 + state.passkeys.length),
        name: (body?.name as string | undefined) ?? null,
        createdAt: now,
        lastUsedAt: null,
      });
      state.passkeys = [...state.passkeys, passkey];
      return passkey;
    }
    case "removePasskey":
      state.passkeys = state.passkeys.filter((p) => p.id !== params?.id);
      return { id: params?.id, deleted: true };
    case "listInvitations":
      return { items: state.invitations };
    case "createInvitation": {
      const invitation = Invitation.parse({
        id: id(200 + state.invitations.length),
        email: body?.email,
        role: body?.role ?? "member",
        status: "pending",
        invitedBy: id(2),
        createdAt: now,
        expiresAt: "2026-11-27T09:30:00.000Z",
      });
      state.invitations = [invitation, ...state.invitations];
      return InvitationCreated.parse({
        invitation,
        link: `http://localhost/app/accept-invitation#token=${"T".repeat(43)}`,
        expiresAt: invitation.expiresAt,
        mail: state.mail,
      });
    }
    case "revokeInvitation": {
      const found = state.invitations.find((i) => i.id === params?.id);
      if (!found) throw problem(404, "not_found", "The invitation was not found.");
      const revoked = { ...found, status: "revoked" as const };
      state.invitations = state.invitations.map((i) => (i.id === found.id ? revoked : i));
      return revoked;
    }
    case "deactivateUser":
    case "reactivateUser": {
      const user = users.find((u) => u.id === params?.id);
      if (!user) throw problem(404, "not_found", "The user was not found.");
      user.deactivatedAt = name === "deactivateUser" ? now : null;
      return User.parse(user);
    }
    case "createPasswordResetLink":
      return { link: `http://localhost/app/reset-password#token=${"R".repeat(43)}`, expiresAt: now };
    case "getSignInPolicy":
      return { microsoft365Only: state.microsoft365Only };
    case "setSignInPolicy": {
      const on = body?.microsoft365Only === true;
      const ended = on && !state.microsoft365Only ? 3 : 0;
      state.microsoft365Only = on;
      return SignInPolicyChanged.parse({ microsoft365Only: on, sessionsEnded: ended });
    }
    default:
      return UNHANDLED;
  }
}
