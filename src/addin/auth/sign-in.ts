import { createApiClient } from "../../client/api-client";
import { z } from "zod";
import { localIssuerToken } from "../../client/local-sign-in";
import { askInDialog } from "../office/dialog";
import {
  type AccountState,
  DialogSession,
  SignInNeeded,
  createAccountSession,
  fetchWithSession,
} from "../core/account-session";
import type { KeyValueStorage } from "../core/storage";
import type { MeetingIds } from "./meeting-ids";
import type { OutlookContacts } from "./outlook-contacts";

/** The Office dialog way: auth-dialog.html runs MSAL's redirect flow in its own window and sends the token back. */
async function signInInDialog(request: {
  clientId: string;
  authority: string;
  scopes: string[];
  loginHint: string | null;
}): Promise<string> {
  const query = new URLSearchParams({
    clientId: request.clientId,
    authority: request.authority,
    scope: request.scopes.join(" "),
    ...(request.loginHint ? { loginHint: request.loginHint } : {}),
  });
  const answer: unknown = JSON.parse(await askInDialog(`${location.origin}/auth-dialog.html?${query}`));
  const parsed = DialogAnswer.parse(answer);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.accessToken;
}

const DialogAnswer = z.union([z.object({ accessToken: z.string().min(1) }), z.object({ error: z.string() })]);

const askSignIn = (baseUrl = "") => createApiClient({ baseUrl, getToken: async () => "" })("signIn", {});

/** The pane's side of Rapport's own accounts: whether the rep is signed in, and the ways in and out. */
export interface AccountSignIn {
  /** null while this server signs in another way (Microsoft 365, the local issuer), or before it has said. */
  state(): AccountState | null;
  subscribe(listener: () => void): () => void;
  /**
   * Opens the sign-in dialog and keeps the session it returns. Only from the rep's click: some Outlooks open a
   * dialog only in answer to one. Rejects when the rep closes it.
   */
  signIn(): Promise<void>;
  signOut(): Promise<{ endedOnServer: boolean }>;
}

export interface AddinSignIn {
  /** The API client's token getter: decides how to sign in on first use. */
  getToken(): Promise<string>;
  /** The API client's fetch: with own accounts, a 401 is tried once more with a refreshed token. */
  fetch: typeof fetch;
  account: AccountSignIn;
}

export interface AddinSignInOptions {
  /** The mailbox's address: whose session this is, and the address the dialog offers. */
  userAddress: string | null;
  loginHint: () => Promise<string | null>;
  /** Shared by the pane and the commands of this mailbox (memory where the mailbox is not known). */
  storage: KeyValueStorage;
  /** Opens a page of the add-in in a dialog and resolves with its one message; none in the commands (no UI). */
  openDialog?: (url: string) => Promise<string>;
  displayLanguage?: string;
  prefersDark?: () => boolean;
  /** Where the API is: the page's own origin ("") but in tests. */
  baseUrl?: string;
  /**
   * Whether `npm start`'s token minting, where the page finds it, signs the mailbox in before own accounts do (the
   * development convenience the README describes). The preview turns it off to show the own-account sign-in.
   */
  devTokens?: boolean;
}

/**
 * How this pane or command signs in, as the server says (GET /api/v1/sign-in): Microsoft 365 through Outlook when
 * Entra is configured (MSAL, loaded only then: it is a large chunk); else Rapport's own accounts, a session kept per
 * mailbox that the sign-in dialog starts; else the local issuer of `npm start`. A first attempt that fails (the
 * server not reachable yet) is not remembered: the next call asks again.
 */
export function createAddinSignIn(options: AddinSignInOptions): AddinSignIn {
  const { userAddress, loginHint, storage, baseUrl = "" } = options;
  const publicApi = createApiClient({
    baseUrl,
    getToken: async () => {
      throw new Error("a public route needs no token");
    },
  });
  const session = createAccountSession({
    storage,
    owner: userAddress ?? "unknown",
    refresh: (refreshToken) => publicApi("refreshSession", { body: { refreshToken } }),
    endOnServer: async (accessToken) => {
      await createApiClient({ baseUrl, getToken: async () => accessToken })("signOut", {});
    },
  });
  const listeners = new Set<() => void>();
  let accounts = false;
  let chosen: Promise<() => Promise<string>> | null = null;

  const choose = async (): Promise<() => Promise<string>> => {
    const config = await askSignIn(baseUrl);
    if (config.entra) {
      const { clientId, authority, scope } = config.entra;
      const { naaTokenProvider } = await import(/* webpackChunkName: "msal" */ "./naa-sign-in");
      return naaTokenProvider({ clientId, authority, scopes: [scope], loginHint, dialog: signInInDialog });
    }
    // A server without Entra also runs the local issuer unless told not to, but only `npm start`'s dev server
    // mints its tokens (/preview/token). There, as the README promises, Outlook signs in as its mailbox at once
    // unless this mailbox already holds an own-account session; elsewhere own accounts are how Outlook signs in.
    if (config.accounts) {
      if (options.devTokens !== false && config.localIssuer && session.state().kind !== "signedIn") {
        const local = localIssuerToken(userAddress, undefined, baseUrl);
        try {
          await local();
          return local;
        } catch {
          // Not the dev server (no /preview/token here): own accounts it is.
        }
      }
      accounts = true;
      for (const listener of listeners) listener();
      return session.getToken;
    }
    if (config.localIssuer) return localIssuerToken(userAddress, undefined, baseUrl);
    throw new Error("This Rapport server has no way to sign in configured.");
  };

  const getToken = async (): Promise<string> => {
    chosen ??= choose().catch((error: unknown) => {
      chosen = null;
      throw error;
    });
    return (await chosen)();
  };

  const sessionFetch = fetchWithSession(session, (input, init) => fetch(input, init));
  return {
    getToken,
    fetch: (input, init) => (accounts ? sessionFetch(input, init) : fetch(input, init)),
    account: {
      state: () => (accounts ? session.state() : null),
      subscribe(listener) {
        listeners.add(listener);
        const unsubscribe = session.subscribe(listener);
        return () => {
          listeners.delete(listener);
          unsubscribe();
        };
      },
      async signIn() {
        if (!options.openDialog) throw new SignInNeeded();
        const query = new URLSearchParams({
          ...(userAddress ? { address: userAddress } : {}),
          lang: options.displayLanguage ?? "en-US",
          theme: options.prefersDark?.() ? "dark" : "light",
        });
        // Only the address, the language and the theme go in the URL; the session comes back by message.
        const answer = await options.openDialog(`${location.origin}/account-sign-in.html?${query}`);
        session.accept(DialogSession.parse(JSON.parse(answer)));
      },
      signOut: () => session.signOut(),
    },
  };
}

/**
 * The rep's Outlook contacts (Microsoft Graph, Contacts.Read) where the pane signs in with Microsoft 365; none
 * with the local issuer. Decided on first use, like the sign-in; Graph and MSAL load only then.
 */
export function outlookContactsLazily(loginHint: () => Promise<string | null>): OutlookContacts {
  let contacts: Promise<OutlookContacts | null> | null = null;
  const choose = async (): Promise<OutlookContacts | null> => {
    const { entra } = await askSignIn();
    if (!entra) return null;
    const [{ naaTokenProvider }, { graphOutlookContacts }] = await Promise.all([
      import(/* webpackChunkName: "msal" */ "./naa-sign-in"),
      import(/* webpackChunkName: "graph" */ "./outlook-contacts"),
    ]);
    const getToken = naaTokenProvider({
      clientId: entra.clientId,
      authority: entra.authority,
      scopes: ["Contacts.Read"],
      loginHint,
    });
    return graphOutlookContacts({ getToken });
  };
  return {
    async find(address) {
      contacts ??= choose().catch((error: unknown) => {
        contacts = null;
        throw error;
      });
      const chosen = await contacts;
      return chosen ? chosen.find(address) : null;
    },
  };
}

/**
 * The open meeting's iCalUId through Microsoft Graph (Calendars.Read) where the pane signs in with Microsoft 365;
 * none with Rapport's own accounts or the local issuer (the pane's log then joins by organiser, start and subject).
 * Decided on first use, like the Outlook contacts; Graph and MSAL load only then.
 */
export function meetingIdsLazily(loginHint: () => Promise<string | null>): MeetingIds {
  let ids: Promise<MeetingIds | null> | null = null;
  const choose = async (): Promise<MeetingIds | null> => {
    const { entra } = await askSignIn();
    if (!entra) return null;
    const [{ naaTokenProvider }, { graphMeetingIds }] = await Promise.all([
      import(/* webpackChunkName: "msal" */ "./naa-sign-in"),
      import(/* webpackChunkName: "graph-meetings" */ "./meeting-ids"),
    ]);
    const getToken = naaTokenProvider({
      clientId: entra.clientId,
      authority: entra.authority,
      scopes: ["Calendars.Read"],
      loginHint,
    });
    return graphMeetingIds({ getToken });
  };
  return {
    async iCalUIdOf(restId) {
      ids ??= choose().catch((error: unknown) => {
        ids = null;
        throw error;
      });
      const chosen = await ids;
      return chosen ? chosen.iCalUIdOf(restId) : null;
    },
  };
}
