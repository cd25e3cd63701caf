import { createApiClient } from "../../client/api-client";
import { z } from "zod";
import { localIssuerToken } from "../../client/local-sign-in";
import { askInDialog } from "../office/dialog";
import type { OutlookContacts } from "./outlook-contacts";

/**
 * How this pane signs in, as the server says (GET /api/v1/sign-in): Microsoft 365 through Outlook when Entra
 * is configured (MSAL, loaded only then: it is a large chunk), else the local issuer of `npm start`.
 */
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

const askSignIn = () => createApiClient({ baseUrl: "", getToken: async () => "" })("signIn", {});

export async function signInFor(
  userAddress: string | null,
  loginHint: () => Promise<string | null>,
): Promise<() => Promise<string>> {
  const config = await askSignIn();
  if (config.entra) {
    const { clientId, authority, scope } = config.entra;
    const { naaTokenProvider } = await import(/* webpackChunkName: "msal" */ "./naa-sign-in");
    return naaTokenProvider({ clientId, authority, scopes: [scope], loginHint, dialog: signInInDialog });
  }
  if (config.localIssuer) return localIssuerToken(userAddress);
  throw new Error("This Rapport server has no way to sign in configured.");
}

/**
 * A token getter for the API client, deciding how to sign in on first use. A first attempt that fails (the
 * server not reachable yet) is not remembered: the next call asks again.
 */
export function signInLazily(userAddress: string | null, loginHint: () => Promise<string | null>) {
  let chosen: Promise<() => Promise<string>> | null = null;
  return async (): Promise<string> => {
    chosen ??= signInFor(userAddress, loginHint).catch((error: unknown) => {
      chosen = null;
      throw error;
    });
    return (await chosen)();
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
