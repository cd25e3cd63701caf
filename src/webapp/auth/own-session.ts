import { SessionTokens } from "../../shared/accounts";
import { routes } from "../../shared/routes";
import { send } from "../../client/api-client";
import { ApiError } from "../../client/problems";
import type { Session } from "./session";

/**
 * Rapport's own accounts in the browser. The access token (minutes) lives in this page's memory only. The refresh
 * token lives in localStorage, so a reload or a second tab of the web app is still signed in, as people expect of
 * a web app they open links of in new tabs. sessionStorage would not save the second tab, and is worse: a
 * duplicated tab copies it, and two tabs holding one refresh token each use it once, which the server takes for
 * a stolen token and ends the session on both. So every tab reads the newest token from storage right before
 * refreshing, under a Web Lock shared by the tabs, and a token is never presented twice. What is stored is worth
 * little on its own: the server keeps only its hash, replaces it at each use, ends the whole session when a
 * replaced one comes back, and lets it run out after 30 days unused; signing out ends it on the server.
 */
const STORAGE_KEY = "rapport.webapp.session";
const LOCK_NAME = "rapport.webapp.refresh";
/** Refreshed this long before the access token runs out, so no request carries one that expires on the way. */
const EARLY_SECONDS = 60;

/** Why a session is over: the person signed out (here or in another tab), or the server ended it. */
export type SignedOutReason = "signed-out" | "session-ended";

export interface OwnSession extends Session {
  /** A fetch that sends a request once more with a fresh token after a 401 (the clients take it as `fetch`). */
  fetch: typeof fetch;
}

interface Stored {
  refreshToken: string;
  email: string;
}

function readStored(): Stored | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    if (!value) return null;
    const parsed = JSON.parse(value) as Partial<Stored>;
    return typeof parsed.refreshToken === "string" && typeof parsed.email === "string"
      ? { refreshToken: parsed.refreshToken, email: parsed.email }
      : null;
  } catch {
    return null;
  }
}

function writeStored(value: Stored | null): void {
  try {
    if (value === null) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  } catch {
    // Not remembered: this page stays signed in until it is closed.
  }
}

/** One tab at a time refreshes; a browser without Web Locks (an old one, jsdom) just goes ahead. */
function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  return locks ? (locks.request(LOCK_NAME, work) as Promise<T>) : work();
}

/** The address an access token names (its `email` claim), to show who is signed in; not a check of anything. */
function emailOf(accessToken: string): string | null {
  try {
    const payload = accessToken.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json) as { email?: unknown };
    return typeof claims.email === "string" ? claims.email : null;
  } catch {
    return null;
  }
}

async function post(path: string, body: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return send({ baseUrl: "", getToken: async () => "" }, path, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
}

/** Ends the session on the server; the page has forgotten it already, whatever the answer. */
function endOnServer(accessToken: string): void {
  void post(routes.signOut.path, {}, accessToken).catch(() => undefined);
}

function bearerOf(init: RequestInit | undefined): string | null {
  const headers = new Headers(init?.headers);
  const match = /^Bearer (\S+)$/.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/**
 * A session of Rapport's own accounts, from tokens just received (a sign-in, an accepted invitation, the first
 * set-up) or from the refresh token this browser kept (`tokens` null). `onSignedOut` is told once, when the
 * session is over for any reason, so the page shows the sign-in page instead of failing call after call.
 */
function ownSession(
  stored: Stored,
  tokens: SessionTokens | null,
  onSignedOut: (reason: SignedOutReason) => void,
): OwnSession {
  let access: { token: string; refreshAt: number } | null = null;
  let refreshing: Promise<string> | null = null;
  let over = false;
  const keep = (next: SessionTokens) => {
    access = {
      token: next.accessToken,
      refreshAt: Date.now() + Math.max(next.expiresIn - EARLY_SECONDS, 0) * 1000,
    };
  };
  if (tokens) keep(tokens);

  const end = (reason: SignedOutReason) => {
    if (over) return;
    over = true;
    access = null;
    writeStored(null);
    window.removeEventListener("storage", onStorage);
    onSignedOut(reason);
  };
  // Signed out in another tab: this one follows rather than finding out at its next call.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY && event.newValue === null) end("signed-out");
  };
  window.addEventListener("storage", onStorage);

  const refresh = (): Promise<string> => {
    refreshing ??= exclusively(async () => {
      // The newest token, which another tab may have replaced since this one last looked.
      const current = readStored();
      if (!current) {
        end("signed-out");
        throw new ApiError(401, null);
      }
      try {
        const response = await post(routes.refreshSession.path, { refreshToken: current.refreshToken });
        const next = SessionTokens.parse(await response.json());
        if (over) {
          // Signed out while this was on its way: the new token must not be kept, and the session ends there too.
          endOnServer(next.accessToken);
          throw new ApiError(401, null);
        }
        writeStored({ refreshToken: next.refreshToken, email: current.email });
        keep(next);
        return next.accessToken;
      } catch (error) {
        // Refused: ended, signed out everywhere, deactivated, or used twice. Anything else (offline) may pass.
        if (error instanceof ApiError && error.status === 401) end("session-ended");
        throw error;
      }
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  const getToken = async (): Promise<string> => {
    if (over) throw new ApiError(401, null);
    if (access && Date.now() < access.refreshAt) return access.token;
    return refresh();
  };

  return {
    who: stored.email,
    getToken,
    async fetch(input, init) {
      const response = await fetch(input, init);
      const sent = bearerOf(init);
      if (response.status !== 401 || sent === null || over) return response;
      // Once: a token refreshed meanwhile by another call is used as it is; otherwise a new one is asked for.
      let token: string;
      try {
        token = access && access.token !== sent ? access.token : await refresh();
      } catch {
        return response;
      }
      const headers = new Headers(init?.headers);
      headers.set("authorization", `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    },
    signOut() {
      const live = access && Date.now() < access.refreshAt ? access.token : null;
      const kept = readStored();
      end("signed-out");
      // The server ends the session too, so the stored refresh token is worth nothing even if it was copied. With
      // no live access token (a reload that made no call yet, or one gone stale) the kept refresh token gets one.
      if (live) endOnServer(live);
      else if (kept)
        void exclusively(() => post(routes.refreshSession.path, { refreshToken: kept.refreshToken }))
          .then(async (response) => endOnServer(SessionTokens.parse(await response.json()).accessToken))
          .catch(() => undefined);
    },
  };
}

/** The session of tokens just received; the refresh token is kept for the next reload. */
export function startOwnSession(
  tokens: SessionTokens,
  onSignedOut: (reason: SignedOutReason) => void,
): OwnSession {
  const stored = { refreshToken: tokens.refreshToken, email: emailOf(tokens.accessToken) ?? "" };
  writeStored(stored);
  return ownSession(stored, tokens, onSignedOut);
}

/** The session this browser kept, if any: its first call refreshes the access token. */
export function rememberedOwnSession(onSignedOut: (reason: SignedOutReason) => void): OwnSession | null {
  const stored = readStored();
  return stored ? ownSession(stored, null, onSignedOut) : null;
}

/** Forgets the kept session without telling the server (a sign-in through another way replaces it). */
export function forgetOwnSession(): void {
  writeStored(null);
}
