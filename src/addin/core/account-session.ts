import { z } from "zod";
import { type SessionTokens, SecretToken } from "../../shared/accounts";
import { ApiError } from "../../client/problems";
import type { KeyValueStorage } from "./storage";

/**
 * A session of Rapport's own accounts as the add-in keeps it for one mailbox: what the sign-in dialog hands the
 * pane, kept in storage the pane and the commands share (Outlook on the web, the new Outlook and Outlook on Mac
 * give both runtimes the same origin's storage).
 */
const StoredSession = z.object({
  accessToken: z.string().min(1),
  /** Milliseconds since the epoch. */
  accessExpiresAt: z.number(),
  refreshToken: SecretToken,
  sessionId: z.string(),
  /** The account's address, as the server names it. */
  address: z.string(),
});
export type StoredSession = z.infer<typeof StoredSession>;

/** What the sign-in dialog sends the pane: the server's session and whose it is. */
export const DialogSession = z.object({
  accessToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
  refreshToken: SecretToken,
  sessionId: z.string(),
  address: z.string(),
});
export type DialogSession = z.infer<typeof DialogSession>;

/**
 * Signed in, or why not: never signed in here ("none"), the server ended the session (signed out elsewhere, a
 * refresh token used twice, deactivated: "ended"), or the rep signed out here ("signedOut").
 */
export type AccountState =
  { kind: "signedIn"; address: string } | { kind: "signedOut"; why: "none" | "ended" | "signedOut" };

/** No usable session: the rep signs in from the pane. Calls that meet it wait (the outbox keeps its queue). */
export class SignInNeeded extends Error {
  constructor() {
    super("Sign in to Rapport from the pane.");
  }
}

/** Runs `work` alone among everyone holding the same name (the pane and the commands where the host has Web Locks). */
export type Exclusive = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/**
 * Web Locks where the browser has them: held across every window and runtime of the origin, so the pane and the
 * ribbon command never spend one refresh token twice. Without them (some webviews), one runtime at a time only;
 * the re-read of storage under the lock still catches a refresh another runtime has finished.
 */
export function browserExclusive(): Exclusive {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks?.request) return async (name, work) => await locks.request(name, work);
  const tails = new Map<string, Promise<unknown>>();
  return (name, work) => {
    const run = (tails.get(name) ?? Promise.resolve()).then(work, work);
    tails.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  };
}

export interface AccountSession {
  state(): AccountState;
  subscribe(listener: () => void): () => void;
  /** An access token, refreshed when it is (nearly) out; SignInNeeded without a usable session. */
  getToken(): Promise<string>;
  /** The access token just refused by the server (401): the next getToken refreshes rather than send it again. */
  refused(accessToken: string): void;
  /** Keeps what the sign-in dialog returned. */
  accept(session: DialogSession): void;
  /** Ends the session on the server where it can, and forgets it here in any case. */
  signOut(): Promise<{ endedOnServer: boolean }>;
}

export interface AccountSessionOptions {
  storage: KeyValueStorage;
  /** The mailbox's address: each rep on a shared machine has their own session. */
  owner: string;
  /** POST /account/refresh: the next pair, or an ApiError (401 when the session is over). */
  refresh(refreshToken: string): Promise<SessionTokens>;
  /** POST /account/sign-out with this access token. */
  endOnServer(accessToken: string): Promise<void>;
  exclusive?: Exclusive;
  now?: () => number;
}

/** An access token this close to its end is refreshed first: it could run out on its way to the server. */
const EXPIRY_MARGIN_MS = 60_000;

export function createAccountSession({
  storage,
  owner,
  refresh,
  endOnServer,
  exclusive = browserExclusive(),
  now = Date.now,
}: AccountSessionOptions): AccountSession {
  const key = `rapport.session.v1:${owner.toLowerCase()}`;
  const listeners = new Set<() => void>();
  let why: "none" | "ended" | "signedOut" = "none";
  let refreshing: Promise<string> | null = null;
  let last: AccountState | null = null;

  const read = (): StoredSession | null => {
    try {
      const parsed = StoredSession.safeParse(JSON.parse(storage.getItem(key) ?? "null"));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const forget = (reason: typeof why) => {
    storage.removeItem(key);
    why = reason;
    notify();
  };
  const fresh = (session: StoredSession) => session.accessExpiresAt - EXPIRY_MARGIN_MS > now();

  function state(): AccountState {
    const session = read();
    const next: AccountState = session
      ? { kind: "signedIn", address: session.address }
      : { kind: "signedOut", why };
    // The same object while nothing changed: React's useSyncExternalStore compares snapshots by identity.
    if (last && JSON.stringify(last) === JSON.stringify(next)) return last;
    last = next;
    return next;
  }

  /** Spends the stored refresh token, once, under the lock every runtime of this origin takes. */
  function refreshNow(spent: string): Promise<string> {
    refreshing ??= exclusive(`rapport.session:${owner.toLowerCase()}`, async () => {
      const current = read();
      if (!current) throw new SignInNeeded();
      // Another runtime refreshed while this one waited for the lock: its pair is the one to use now.
      if (current.refreshToken !== spent && fresh(current)) return current.accessToken;
      let tokens: SessionTokens;
      try {
        tokens = await refresh(current.refreshToken);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          // The family is over on the server (or this token was replaced where we cannot see it): sign in again.
          if (read()?.refreshToken === current.refreshToken) forget("ended");
          throw new SignInNeeded();
        }
        throw error;
      }
      // Signed out (or in anew) while the server answered, here or in another runtime that took no lock to do it:
      // the rep's sign-out stands, and the pair of the session they left is not brought back.
      if (read()?.refreshToken !== current.refreshToken) throw new SignInNeeded();
      // Kept before the new access token is used: the old refresh token is spent, and a crash between here and
      // the next call must not leave only it (presented again, it would end the session).
      storage.setItem(key, JSON.stringify(storedFrom(tokens, current.address, now())));
      notify();
      return tokens.accessToken;
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  const onStorage = (event: StorageEvent) => {
    if (event.key === key || event.key === null) notify();
  };

  async function getToken(): Promise<string> {
    if (refreshing) return refreshing;
    const session = read();
    if (!session) throw new SignInNeeded();
    return fresh(session) ? session.accessToken : refreshNow(session.refreshToken);
  }

  return {
    state,
    getToken,
    subscribe(listener) {
      if (listeners.size === 0) globalThis.addEventListener?.("storage", onStorage);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) globalThis.removeEventListener?.("storage", onStorage);
      };
    },
    refused(accessToken) {
      const session = read();
      if (session?.accessToken === accessToken)
        storage.setItem(key, JSON.stringify({ ...session, accessExpiresAt: 0 }));
    },
    accept(session) {
      storage.setItem(
        key,
        JSON.stringify({
          accessToken: session.accessToken,
          accessExpiresAt: now() + session.expiresIn * 1000,
          refreshToken: session.refreshToken,
          sessionId: session.sessionId,
          address: session.address,
        } satisfies StoredSession),
      );
      why = "none";
      notify();
    },
    async signOut() {
      let endedOnServer = false;
      if (read()) {
        try {
          await endOnServer(await getToken());
          endedOnServer = true;
        } catch {
          // Unreachable, or already over: the rep asked to be signed out here, and is.
        }
      }
      forget("signedOut");
      return { endedOnServer };
    },
  };
}

function storedFrom(tokens: SessionTokens, address: string, at: number): StoredSession {
  return {
    accessToken: tokens.accessToken,
    accessExpiresAt: at + tokens.expiresIn * 1000,
    refreshToken: tokens.refreshToken,
    sessionId: tokens.sessionId,
    address,
  };
}

/**
 * The API client's fetch for a session of own accounts: a request refused with 401 (the access token ended early:
 * signed out elsewhere, the server restarted its key) is sent once more with a refreshed token. When no session
 * is left it fails as an unreachable server does, so the outbox keeps what it holds until the rep signs in.
 */
export function fetchWithSession(session: AccountSession, base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const headers = new Headers(init?.headers);
    const sent = headers.get("authorization")?.replace(/^Bearer /, "");
    if (response.status !== 401 || !sent) return response;
    session.refused(sent);
    let token: string;
    try {
      token = await session.getToken();
    } catch (error) {
      if (error instanceof SignInNeeded) throw new TypeError("signed out of Rapport", { cause: error });
      throw error;
    }
    headers.set("authorization", `Bearer ${token}`);
    return base(input, { ...init, headers });
  };
}
