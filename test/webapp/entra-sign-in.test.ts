/** @jest-environment jsdom */
import { webcrypto } from "node:crypto";
import { entraSignIn } from "../../src/webapp/auth/entra-sign-in";

// jsdom has no Web Crypto; MSAL needs it before it touches its cache.
Object.defineProperty(window, "crypto", { value: webcrypto });

const msalKeys = (storage: Storage) => Object.keys(storage).filter((key) => key.startsWith("msal."));

describe("the web app's Microsoft 365 sign-in", () => {
  it("keeps MSAL's cache in the tab's session storage, never in local storage that outlives the visit", async () => {
    const signIn = await entraSignIn({
      clientId: "6c2a1d0e-0000-4000-8000-000000000001",
      authority: "https://login.microsoftonline.com/organizations",
      scope: "api://6c2a1d0e-0000-4000-8000-000000000001/access_as_user",
    });
    expect(signIn.account).toBeNull();
    expect(msalKeys(sessionStorage).length).toBeGreaterThan(0);
    expect(msalKeys(localStorage)).toEqual([]);
  });
});
