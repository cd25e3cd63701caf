/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { contact, fakeWebServer, ids, renderWebApp } from "../helpers/webapp-fixtures";

/** jsdom renders Fluent's editor and the record picker slowly on a busy 2-core machine. */
const SLOW = 60_000;

describe("the web app's email templates", () => {
  it(
    "writes a template in English and Swedish, saves it for the organisation, and previews it for a contact",
    async () => {
      const anna = contact({ id: "7f000000-0000-4000-8000-0000000000a1", displayName: "Anna Berg" });
      const server = fakeWebServer({ role: "admin", contacts: [anna] });
      renderWebApp(server, "/app/templates");
      expect(await screen.findByText("No templates yet: write the first one.")).toBeTruthy();
      fireEvent.click(screen.getByRole("button", { name: "New template" }));
      fireEvent.change(await screen.findByLabelText(/^Name/), { target: { value: "Offer follow-up" } });
      fireEvent.change(screen.getByLabelText("Folder"), { target: { value: "Offers" } });
      fireEvent.change(screen.getByLabelText("Subject"), { target: { value: "Your offer" } });
      fireEvent.change(screen.getByLabelText("Body (HTML)"), {
        target: { value: "<p>Hi {{contact.firstName}}</p>" },
      });
      fireEvent.click(screen.getByRole("tab", { name: "Svenska" }));
      fireEvent.change(screen.getByLabelText("Subject"), { target: { value: "Din offert" } });
      fireEvent.change(screen.getByLabelText("Body (HTML)"), {
        target: { value: "<p>Hej {{contact.firstName}}</p>" },
      });
      fireEvent.click(screen.getByRole("button", { name: "Save" }));
      await waitFor(() => expect(server.received("createTemplate")).toHaveLength(1));
      expect(server.received("createTemplate")[0]?.body).toEqual({
        name: "Offer follow-up",
        scope: "organization",
        folder: "Offers",
        tags: [],
        variants: {
          en: { subject: "Your offer", html: "<p>Hi {{contact.firstName}}</p>" },
          sv: { subject: "Din offert", html: "<p>Hej {{contact.firstName}}</p>" },
        },
      });
      expect(await screen.findByRole("button", { name: "Edit Offer follow-up" })).toBeTruthy();
      expect(await screen.findByText("Used 3 times, answered 1 times.")).toBeTruthy();

      fireEvent.change(screen.getByRole("combobox", { name: "Contact to preview for" }), {
        target: { value: "Anna" },
      });
      fireEvent.click(await screen.findByRole("option", { name: /Anna Berg/ }, { timeout: 5000 }));
      fireEvent.click(await screen.findByRole("button", { name: "Show preview" }));
      expect(await screen.findByText("No value for: contact.title. It is marked in the text.")).toBeTruthy();
      const frame = screen.getByTitle("The email as the contact would get it");
      // The preview runs nothing: a sandbox with no permissions.
      expect(frame.getAttribute("sandbox")).toBe("");
      expect(frame.getAttribute("srcdoc")).toContain('data-rapport-unfilled="contact.title"');
      expect(server.received("renderTemplate")[0]).toMatchObject({
        params: { id: expect.any(String) },
        body: { contactId: anna.id },
      });
    },
    SLOW,
  );

  it(
    "lets a member write only their own templates, and read the organisation's",
    async () => {
      const server = fakeWebServer({ role: "member" });
      server.templates = [
        {
          id: "7e000000-0000-4000-8000-000000000009",
          name: "Company offer",
          folder: null,
          tags: [],
          scope: "organization",
          ownerId: null,
          createdBy: ids.bo,
          archived: false,
          archivedAt: null,
          variants: { en: { subject: "Offer", html: "<p>x</p>" } },
          createdAt: "2026-11-20T09:30:00.000Z",
          updatedAt: "2026-11-20T09:30:00.000Z",
          version: 1,
        },
      ];
      renderWebApp(server, "/app/templates");
      fireEvent.click(await screen.findByRole("button", { name: "New template" }));
      const everyone = await screen.findByRole("radio", { name: "Everyone in the organisation" });
      expect((everyone as HTMLInputElement).disabled).toBe(true);
      expect((screen.getByRole("radio", { name: "Only me" }) as HTMLInputElement).checked).toBe(true);
      fireEvent.click(screen.getByRole("button", { name: "Close" }));
      fireEvent.click(await screen.findByRole("button", { name: "Edit Company offer" }));
      expect(await screen.findByText("Only admins write the organisation's templates.")).toBeTruthy();
      expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    },
    SLOW,
  );
});
