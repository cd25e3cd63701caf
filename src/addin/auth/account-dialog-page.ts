import "../../shared/zod-without-eval";
import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  browserSupportsWebAuthn,
  startAuthentication,
} from "@simplewebauthn/browser";
import { PasskeySignIn, type SessionTokens } from "../../shared/accounts";
import { createApiClient } from "../../client/api-client";
import { ApiError, errorDetail } from "../../client/problems";
import type { DialogSession } from "../core/account-session";
import { catalogueFor, createI18n, loadCatalogue } from "../core/i18n";
import type { MessageKey } from "../core/messages/en";
import { inSimulatedDialog, tellOpener, tellSimulatedOpener } from "../office/dialog";
import { loadOfficeJs } from "../office/host";

// account-sign-in.html: Rapport's own sign-in, in an Office dialog on Rapport's origin (Outlook's pane has no
// pop-ups and no third-party cookies). The query says only the mailbox's address, the language and the theme; the
// session goes back to the pane by messageParent, never in a URL, and nothing here logs it.

/** The server's Retry-After of the last refusal: the throttle's wait, which the problem's body does not carry. */
let retryAfter: string | null = null;
const api = createApiClient({
  baseUrl: "",
  getToken: async () => {
    throw new Error("only public routes before signing in");
  },
  fetch: async (input, init) => {
    const response = await fetch(input, init);
    retryAfter = response.headers.get("retry-after");
    return response;
  },
});

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const simulated = inSimulatedDialog();
  // Office.js is needed only to answer; fetched while the rep types.
  const office = simulated ? Promise.resolve() : loadOfficeJs();
  office.catch(() => undefined);
  const language = query.get("lang") ?? navigator.language;
  const { t } = createI18n(language, await loadCatalogue(language));
  document.documentElement.lang = catalogueFor(language);
  document.documentElement.dataset.theme = query.get("theme") === "dark" ? "dark" : "light";
  document.title = t("signInTitle");

  const form = byId<HTMLFormElement>("password-form");
  const address = byId<HTMLInputElement>("address");
  const password = byId<HTMLInputElement>("password");
  const submit = byId<HTMLButtonElement>("submit");
  const passkey = byId<HTMLButtonElement>("passkey");
  const error = byId<HTMLParagraphElement>("error");
  const status = byId<HTMLParagraphElement>("status");
  byId("title").textContent = t("signInTitle");
  byId("address-label").textContent = t("dialogAddress");
  byId("password-label").textContent = t("dialogPassword");
  byId("or").textContent = t("dialogOr");
  submit.textContent = t("signInButton");
  passkey.textContent = t("dialogPasskey");
  address.value = query.get("address") ?? "";
  (address.value ? password : address).focus();
  // Some Outlook dialogs (webviews) have no WebAuthn: the passkey way is offered only where it can work.
  byId("passkey-part").hidden = !browserSupportsWebAuthn();

  const busy = (on: boolean) => {
    for (const control of [address, password, submit, passkey]) control.disabled = on;
    status.textContent = on ? t("signingIn") : "";
  };
  const fail = (key: MessageKey, values?: Record<string, string>) => {
    busy(false);
    error.textContent = t(key, values);
  };
  const failWith = (caught: unknown, refused: MessageKey) => {
    if (caught instanceof ApiError) {
      if (caught.code === "invalid_credentials") return fail(refused);
      // The wait is the server's Retry-After; without one, its own words say it.
      if (caught.code === "rate_limited" && retryAfter)
        return fail("dialogThrottled", { seconds: retryAfter });
      if (caught.code === "unreachable") return fail("unreachable");
    }
    return fail("failed", { detail: errorDetail(caught) });
  };

  /** Hands the session to the pane, with whose it is as the server says. */
  const finish = async (tokens: SessionTokens) => {
    const me = await createApiClient({ baseUrl: "", getToken: async () => tokens.accessToken })("me", {});
    const session: DialogSession = {
      accessToken: tokens.accessToken,
      expiresIn: tokens.expiresIn,
      refreshToken: tokens.refreshToken,
      sessionId: tokens.sessionId,
      address: me.user.email ?? address.value.trim(),
    };
    password.value = "";
    await office;
    (simulated ? tellSimulatedOpener : tellOpener)(JSON.stringify(session));
    status.textContent = t("dialogSignedIn");
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = "";
    const email = address.value.trim();
    if (!email || !password.value) return fail("dialogMissing");
    busy(true);
    api("signInWithPassword", { body: { email, password: password.value } })
      .then(finish)
      .catch((caught: unknown) => {
        failWith(caught, "dialogWrong");
        password.select();
      });
  });

  // The page's own submit is in place: the button the HTML keeps disabled until now (see account-sign-in.html).
  submit.disabled = false;

  passkey.addEventListener("click", () => {
    error.textContent = "";
    busy(true);
    const signIn = async () => {
      const options = await api("passkeySignInOptions", {});
      let response: AuthenticationResponseJSON;
      try {
        // The server's options, as @simplewebauthn/server made them; the contract checks only their outline.
        const optionsJSON = options as unknown as PublicKeyCredentialRequestOptionsJSON;
        response = await startAuthentication({ optionsJSON });
      } catch (caught) {
        // The rep cancelled, or this window turned out not to allow WebAuthn after all: the password way is left.
        if (caught instanceof Error && caught.name !== "NotAllowedError") byId("passkey-part").hidden = true;
        return fail("dialogPasskeyCancelled");
      }
      await finish(await api("signInWithPasskey", { body: PasskeySignIn.parse({ response }) }));
    };
    signIn().catch((caught: unknown) => failWith(caught, "dialogPasskeyRefused"));
  });
}

void main();
