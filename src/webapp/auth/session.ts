import { ApiError } from "../../client/problems";
import { localIssuerToken } from "../../client/local-sign-in";

/** A signed-in browser: a token for every call, who it is, and the way out. */
export interface Session {
  getToken(): Promise<string>;
  /** Who signed in; null for a pasted token, which names nobody (the account's own name shows once read). */
  who: string | null;
  signOut(): void;
  /** The fetch the API clients use, where the session handles a refused token itself (Rapport's own accounts). */
  fetch?: typeof fetch;
}

const LOCAL_USER_KEY = "rapport.webapp.localUser";
const PASTED_TOKEN_KEY = "rapport.webapp.token";

interface LocalUser {
  email: string;
  name?: string;
}

function read(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function write(storage: Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // Not remembered: this page still works until it is closed.
  }
}

export function forgetLocalSession(): void {
  write(localStorage, LOCAL_USER_KEY, null);
  write(sessionStorage, PASTED_TOKEN_KEY, null);
}

function localSession(user: LocalUser, onSignOut: () => void): Session {
  return {
    getToken: localIssuerToken(user.email, user.name),
    who: user.name ? `${user.name} (${user.email})` : user.email,
    signOut() {
      forgetLocalSession();
      onSignOut();
    },
  };
}

function pastedSession(token: string, onSignOut: () => void): Session {
  return {
    getToken: async () => token,
    who: null,
    signOut() {
      forgetLocalSession();
      onSignOut();
    },
  };
}

/** The local issuer's session this browser kept, if any: the address it signed in as, or a pasted token. */
export function rememberedLocalSession(onSignOut: () => void): Session | null {
  const token = read(sessionStorage, PASTED_TOKEN_KEY);
  if (token) return pastedSession(token, onSignOut);
  const stored = read(localStorage, LOCAL_USER_KEY);
  if (!stored) return null;
  try {
    const user = JSON.parse(stored) as LocalUser;
    return typeof user.email === "string" ? localSession(user, onSignOut) : null;
  } catch {
    return null;
  }
}

/**
 * Signs in through the local issuer as the address given, the way the preview does (the dev server of
 * `npm start` mints the token). Where the page is not served by that dev server there is nothing to mint it:
 * `no-token-endpoint` says so, and a token from `npm run token` can be pasted instead.
 */
export async function signInLocally(
  user: LocalUser,
  onSignOut: () => void,
): Promise<Session | "no-token-endpoint"> {
  const session = localSession(user, onSignOut);
  try {
    await session.getToken();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405))
      return "no-token-endpoint";
    throw error;
  }
  write(localStorage, LOCAL_USER_KEY, JSON.stringify(user));
  return session;
}

export function signInWithToken(token: string, onSignOut: () => void): Session {
  write(sessionStorage, PASTED_TOKEN_KEY, token);
  return pastedSession(token, onSignOut);
}
