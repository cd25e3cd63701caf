import type { AccountInfo, IPublicClientApplication } from "@azure/msal-browser";
import { ApiError } from "../../src/client/problems";
import { naaTokenProvider } from "../../src/addin/auth/naa-sign-in";

const account = (username: string): AccountInfo => ({
  homeAccountId: `${username}-home`,
  environment: "login.microsoftonline.com",
  tenantId: "t1",
  username,
  localAccountId: `${username}-local`,
});

/** Outlook's broker as MSAL's nestable client sees it: accounts, a cache that may say no, and a popup. */
function broker(options: { silent: "token" | "fails"; popup: "token" | "fails" }) {
  const calls: { method: string; request: Record<string, unknown> }[] = [];
  let created = 0;
  const client = {
    getAllAccounts: () => [account("bo@contoso.example"), account("rita@contoso.example")],
    acquireTokenSilent: async (request: Record<string, unknown>) => {
      calls.push({ method: "silent", request });
      if (options.silent === "fails") throw new Error("interaction_required");
      return { accessToken: "silent-token" };
    },
    acquireTokenPopup: async (request: Record<string, unknown>) => {
      calls.push({ method: "popup", request });
      if (options.popup === "fails") throw new Error("popup_window_error: the popup was blocked");
      return { accessToken: "popup-token" };
    },
  };
  const createClient = async () => {
    created++;
    return client as unknown as IPublicClientApplication;
  };
  return { calls, createClient, created: () => created };
}

const options = { clientId: "c1", authority: "https://login.microsoftonline.com/organizations" };
const scopes = ["api://crm.example.com/c1/access_as_user"];

describe("signing in through Outlook (MSAL nested app authentication)", () => {
  it("takes the API token silently for the account Outlook names, creating the client once", async () => {
    const b = broker({ silent: "token", popup: "fails" });
    const token = naaTokenProvider({
      ...options,
      scopes,
      loginHint: async () => "Rita@Contoso.example",
      createClient: b.createClient,
    });
    expect(await token()).toBe("silent-token");
    expect(await token()).toBe("silent-token");
    expect(b.created()).toBe(1);
    expect(
      b.calls.map((c) => [c.method, (c.request.account as AccountInfo).username, c.request.scopes]),
    ).toEqual([
      ["silent", "rita@contoso.example", scopes],
      ["silent", "rita@contoso.example", scopes],
    ]);
  });

  it("asks with a popup, hinted with the rep's address, when the silent way cannot", async () => {
    const b = broker({ silent: "fails", popup: "token" });
    const token = naaTokenProvider({
      ...options,
      scopes,
      loginHint: async () => "rita@contoso.example",
      createClient: b.createClient,
    });
    expect(await token()).toBe("popup-token");
    expect(b.calls.map((c) => c.method)).toEqual(["silent", "popup"]);
    expect(b.calls[1]?.request).toEqual({ scopes, loginHint: "rita@contoso.example" });
  });

  it("says a sign-in that cannot happen now as such, and as worth trying again (nothing queued is dropped)", async () => {
    const b = broker({ silent: "fails", popup: "fails" });
    const token = naaTokenProvider({
      ...options,
      scopes,
      loginHint: async () => null,
      createClient: b.createClient,
    });
    const failure = await token().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).retryable).toBe(true);
    expect((failure as ApiError).code).toBe("auth_unavailable");
    expect((failure as ApiError).problem?.detail).toMatch(
      /^Sign in to Microsoft 365 to use Rapport \(popup_window_error/,
    );
  });

  it("signs in in an Office dialog where Outlook blocks the popup, asking for the same scopes and account", async () => {
    const b = broker({ silent: "fails", popup: "fails" });
    const asked: unknown[] = [];
    const token = naaTokenProvider({
      ...options,
      scopes,
      loginHint: async () => "rita@contoso.example",
      createClient: b.createClient,
      dialog: async (request) => {
        asked.push(request);
        return "dialog-token";
      },
    });
    expect(await token()).toBe("dialog-token");
    expect(asked).toEqual([{ ...options, scopes, loginHint: "rita@contoso.example" }]);
  });

  it("says so, as worth trying again, when the dialog fails too (closed by the rep)", async () => {
    const b = broker({ silent: "fails", popup: "fails" });
    const token = naaTokenProvider({
      ...options,
      scopes,
      loginHint: async () => null,
      createClient: b.createClient,
      dialog: async () => {
        throw new Error("the sign-in dialog was closed (12006)");
      },
    });
    const failure = (await token().catch((error: unknown) => error)) as ApiError;
    expect([failure.retryable, failure.code]).toEqual([true, "auth_unavailable"]);
    expect(failure.problem?.detail).toContain("the sign-in dialog was closed (12006)");
  });
});
