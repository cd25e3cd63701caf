/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { type CreatePasskey, PasskeyNotMade } from "../../src/webapp/auth/passkey-ceremony";
import { AccountSettings } from "../../src/webapp/pages/account/AccountPage";
import { WebAppProviders, createQueryClient } from "../../src/webapp/WebApp";
import { WebAppServicesProvider } from "../../src/webapp/services";
import { type FakeWebServer, fakeWebServer, ids, problem, renderWebApp } from "../helpers/webapp-fixtures";

/** Time, not a speed check: the first test compiles the pages' chunks on a busy machine. */
jest.setTimeout(120_000);

/** An authenticator that answers the browser's ceremony, as a platform authenticator would. */
const authenticator = jest.fn(async (options: { challenge: string }) => ({
  id: "credential-1",
  rawId: "credential-1",
  type: "public-key" as const,
  response: {
    clientDataJSON: Buffer.from(JSON.stringify({ challenge: options.challenge })).toString("base64url"),
  },
  clientExtensionResults: {},
}));

function renderAccount(server: FakeWebServer, createPasskey: CreatePasskey = authenticator) {
  const signOut = jest.fn();
  render(
    <WebAppProviders queryClient={createQueryClient()} language="en">
      <WebAppServicesProvider
        services={{
          api: server.api,
          files: server.files,
          progress: undefined as never,
          signOut,
          timeZone: "UTC",
        }}
      >
        <AccountSettings createPasskey={createPasskey} />
      </WebAppServicesProvider>
    </WebAppProviders>,
  );
  return { signOut };
}

describe("the web app's Account page", () => {
  it("tells someone signed in with Microsoft 365 where their account is managed", async () => {
    const server = fakeWebServer({ signedInWith: "entra" });
    renderAccount(server);
    expect(await screen.findByText(/You sign in with Microsoft 365/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Change password" })).toBeNull();
    expect(server.received("listSessions")).toEqual([]);
  });

  it("lists the sessions with this one marked, ends another, and signs out everywhere after asking", async () => {
    const server = fakeWebServer({ signedInWith: "account" });
    const { signOut } = renderAccount(server);
    const table = await screen.findByRole("table", { name: /Your open sessions/ });
    const rows = within(table).getAllByRole("row");
    expect(within(rows[1] as HTMLElement).getByText("This session")).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText(/Firefox · Windows/)).toBeTruthy();
    // This session has no "End": signing out is how it ends.
    expect(screen.queryByRole("button", { name: /End the session on Firefox/ })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "End the session on Safari · iOS" }));
    await waitFor(() => expect(screen.queryByText(/Safari · iOS/)).toBeNull());
    expect(server.received("endSession")).toEqual([
      { params: { id: "00000000-0000-4000-8000-000000000091" } },
    ]);

    fireEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/Every session of yours ends, this one too/)).toBeTruthy();
    expect(server.received("signOutEverywhere")).toEqual([]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Sign out everywhere" }));
    await waitFor(() => expect(signOut).toHaveBeenCalledTimes(1));
    expect(server.received("signOutEverywhere")).toHaveLength(1);
  });

  it("keeps the session when signing out fails, says so, and signs out on retry", async () => {
    const server = fakeWebServer({ signedInWith: "account" });
    const { signOut } = renderAccount(server);
    await screen.findByRole("table", { name: /Your open sessions/ });
    server.failNext("signOut", problem(503, "store_unavailable", "The store is not available."));
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByText(/You were not signed out/)).toBeTruthy();
    expect(signOut).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(signOut).toHaveBeenCalledTimes(1));
  });

  it("changes the password with the current one, and says when the current one is wrong", async () => {
    const server = fakeWebServer({ signedInWith: "account" });
    renderAccount(server);
    const submit = await screen.findByRole("button", { name: "Change password" });
    fireEvent.change(screen.getByLabelText(/^Current password\W*$/), {
      target: { value: "a wrong password" },
    });
    fireEvent.change(screen.getByLabelText(/^New password\W*$/), {
      target: { value: "a brand new long password" },
    });
    fireEvent.change(screen.getByLabelText(/^New password again/), {
      target: { value: "a brand new long passwor" },
    });
    expect(await screen.findByText("The two new passwords are not the same.")).toBeTruthy();
    fireEvent.click(submit);
    expect(server.received("changePassword")).toEqual([]);
    fireEvent.change(screen.getByLabelText(/^New password again/), {
      target: { value: "a brand new long password" },
    });
    fireEvent.click(submit);
    expect(await screen.findByText(/The password was not changed/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Current password\W*$/), {
      target: { value: "the current long password" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(
      await screen.findByText(/Password changed\. Sessions ended on your other devices: 1\./),
    ).toBeTruthy();
    expect(server.accounts.password).toBe("a brand new long password");
  });

  it("adds a passkey through the browser's ceremony with the current password, lists it, and removes it after asking", async () => {
    const server = fakeWebServer({ signedInWith: "account" });
    renderAccount(server);
    expect(await screen.findByText("You have no passkeys yet.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Name of the new passkey/), { target: { value: "Work laptop" } });
    fireEvent.change(screen.getByLabelText(/Current password, to add a passkey/), {
      target: { value: "the current long password" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Add a passkey" }));
    expect(await screen.findByText("Passkey added.")).toBeTruthy();
    expect(authenticator).toHaveBeenCalledWith(
      expect.objectContaining({ challenge: "a-challenge-from-the-server" }),
    );
    expect(server.received("registerPasskey")).toEqual([
      {
        body: expect.objectContaining({ name: "Work laptop", currentPassword: "the current long password" }),
      },
    ]);
    expect(await screen.findByText("Work laptop")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Remove passkey “Work laptop”" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByText("Remove"));
    expect(await screen.findByText("You have no passkeys yet.")).toBeTruthy();
  });

  it("says when the browser's passkey request was cancelled, and sends nothing", async () => {
    const server = fakeWebServer({ signedInWith: "account" });
    renderAccount(
      server,
      jest.fn(async () => Promise.reject(new PasskeyNotMade("cancelled"))),
    );
    await screen.findByText("You have no passkeys yet.");
    fireEvent.change(screen.getByLabelText(/Current password, to add a passkey/), {
      target: { value: "the current long password" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Add a passkey" }));
    expect(await screen.findByText(/cancelled or ran out of time/)).toBeTruthy();
    expect(server.received("registerPasskey")).toEqual([]);
  });

  it("is in the navigation", async () => {
    const server = fakeWebServer({ signedInWith: "account" });
    renderWebApp(server, "/app/account");
    expect(await screen.findByRole("link", { name: "Your account" })).toBeTruthy();
    expect(await screen.findByRole("heading", { name: "Your account" })).toBeTruthy();
  });
});

describe("the admin's team settings", () => {
  it("invites by address, shows the link to copy and whether it was mailed, and withdraws the invitation", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.accounts.mail = "failed";
    renderWebApp(server, "/app/settings");
    expect(await screen.findByText("No pending invitations.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Email address to invite/), {
      target: { value: "nina@contoso.example" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Invite" }));
    expect(await screen.findByText(/could not be mailed to nina@contoso\.example: copy it/)).toBeTruthy();
    const link = screen.getByLabelText(/The invitation link, to copy/) as HTMLInputElement;
    expect(link.value).toMatch(/\/app\/accept-invitation#token=/);
    expect(server.received("createInvitation")).toEqual([
      { body: { email: "nina@contoso.example", role: "member", language: "en" } },
    ]);
    const table = await screen.findByRole("table", { name: "Pending invitations" });
    expect(within(table).getByText("nina@contoso.example")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Withdraw the invitation of nina@contoso.example" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByText("Withdraw"));
    expect(await screen.findByText("No pending invitations.")).toBeTruthy();
  });

  it("says when the server refused an invitation", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    await screen.findByText("No pending invitations.");
    server.failNext(
      "createInvitation",
      problem(409, "microsoft365_only", "The organisation signs in with Microsoft 365 only."),
    );
    fireEvent.change(screen.getByLabelText(/Email address to invite/), {
      target: { value: "nina@contoso.example" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Invite" }));
    const refusal = await screen.findByText(/The invitation was not made/);
    expect(refusal.closest("[role=alert], .fui-MessageBar")?.textContent ?? refusal.textContent).toMatch(
      /Microsoft 365 only/,
    );
  });

  it("deactivates a colleague after asking, reactivates them, and makes a reset link to copy", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    // Nobody deactivates themselves.
    await screen.findByRole("button", { name: "Deactivate Bo Admin" });
    expect(screen.queryByRole("button", { name: "Deactivate Rita Rep" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Deactivate Bo Admin" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/signed out everywhere at once/)).toBeTruthy();
    fireEvent.click(within(dialog).getByText("Deactivate"));
    expect(await screen.findByText("Deactivated")).toBeTruthy();
    expect(server.received("deactivateUser")).toEqual([{ params: { id: ids.bo } }]);

    fireEvent.click(await screen.findByRole("button", { name: "Reactivate Bo Admin" }));
    fireEvent.click(within(await screen.findByRole("dialog")).getByText("Reactivate"));
    await waitFor(() => expect(screen.queryByText("Deactivated")).toBeNull());

    fireEvent.click(screen.getByRole("button", { name: "Make a password reset link for Bo Admin" }));
    const link = (await screen.findByLabelText(/The reset link for Bo Admin/)) as HTMLInputElement;
    expect(link.value).toMatch(/\/app\/reset-password#token=/);
  });

  it("turns on Microsoft 365 only after a warning and asking, and shows a refusal", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const toggle = await screen.findByRole("switch", { name: "Microsoft 365 only" });
    expect(
      screen.getByText(/Turn it on only once everyone of the organisation can sign in with Microsoft 365/),
    ).toBeTruthy();
    server.failNext(
      "setSignInPolicy",
      problem(403, "forbidden", "Only an admin signed in with Microsoft 365 can make it the only way in."),
    );
    fireEvent.click(toggle);
    let dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByText("Turn on"));
    expect(await within(dialog).findByText(/How people sign in was not changed/)).toBeTruthy();
    expect(server.accounts.microsoft365Only).toBe(false);
    fireEvent.click(within(dialog).getByText("Cancel"));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    fireEvent.click(screen.getByRole("switch", { name: "Microsoft 365 only" }));
    dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByText("Turn on"));
    expect(
      await screen.findByText(/Microsoft 365 is now the only way in\. Sessions ended: 3\./),
    ).toBeTruthy();
    await waitFor(() =>
      expect((screen.getByRole("switch", { name: "Microsoft 365 only" }) as HTMLInputElement).checked).toBe(
        true,
      ),
    );
  });

  it("shows a member the sign-in policy without a way to change it, and no invitations", async () => {
    const server = fakeWebServer({ role: "member" });
    renderWebApp(server, "/app/settings");
    const toggle = await screen.findByRole("switch", { name: "Microsoft 365 only" });
    expect((toggle as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole("button", { name: "Invite" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Deactivate/ })).toBeNull();
  });
});
