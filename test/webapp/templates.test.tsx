/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { TOGGLE_LINK_COMMAND } from "@lexical/link";
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $isElementNode,
  type LexicalEditor,
  type LexicalNode,
} from "lexical";
import { sanitizeTemplateHtml } from "../../src/server/templates/sanitize";
import type { Template } from "../../src/shared/templates";
import { contact, customFieldDefinition, fakeWebServer, ids, renderWebApp } from "../helpers/webapp-fixtures";

/** jsdom renders Fluent's editor and the record picker slowly on a busy 2-core machine. */
const SLOW = 180_000;

// jsdom lays nothing out: Lexical measures the caret to scroll it into view after each update.
beforeAll(() => {
  const noRect = () => new DOMRect(0, 0, 0, 0);
  Range.prototype.getBoundingClientRect ??= noRect;
  Range.prototype.getClientRects ??= () =>
    ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
});

/** The Lexical editor behind the body's editable text (Lexical keeps it on its root element). */
async function bodyEditor(name = "Body"): Promise<{ element: HTMLElement; editor: LexicalEditor }> {
  const element = await screen.findByRole("textbox", { name }, { timeout: 10_000 });
  const editor = (element as HTMLElement & { __lexicalEditor?: LexicalEditor }).__lexicalEditor;
  if (!editor) throw new Error("the body is no Lexical editor");
  return { element, editor };
}

/**
 * Typing as jsdom allows it: a paragraph of text added at the end, in one editor update (jsdom has no
 * beforeinput events for Lexical to read keystrokes from; Chromium types for real in test/e2e/templates-editor).
 */
async function typeParagraph(editor: LexicalEditor, text: string) {
  await act(async () => {
    editor.update(
      () => {
        const root = $getRoot();
        const last = root.getLastChild();
        const paragraph =
          $isElementNode(last) && last.getTextContent() === ""
            ? last
            : root.append($createParagraphNode()).getLastChildOrThrow();
        if ($isElementNode(paragraph)) paragraph.append($createTextNode(text));
      },
      { discrete: true },
    );
  });
}

/** Every node's type in the editor, depth first: what the rep's text became. */
const nodeTypes = (editor: LexicalEditor): string[] =>
  editor.getEditorState().read(() => {
    const types: string[] = [];
    const walk = (node: LexicalNode) => {
      types.push(node.getType());
      if ($isElementNode(node)) node.getChildren().forEach(walk);
    };
    $getRoot().getChildren().forEach(walk);
    return types;
  });

const stored = (fields: Partial<Template> & Pick<Template, "id" | "name" | "variants">): Template => ({
  folder: null,
  tags: [],
  scope: "personal",
  ownerId: ids.rita,
  createdBy: ids.rita,
  archived: false,
  archivedAt: null,
  createdAt: "2026-11-20T09:30:00.000Z",
  updatedAt: "2026-11-20T09:30:00.000Z",
  version: 1,
  ...fields,
});

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
      fireEvent.change(screen.getByRole("textbox", { name: "Folder" }), { target: { value: "Offers" } });
      fireEvent.change(screen.getByLabelText("Subject"), { target: { value: "Your offer" } });
      await typeParagraph((await bodyEditor()).editor, "Hi {{contact.firstName}}");
      fireEvent.click(screen.getByRole("tab", { name: "Svenska" }));
      fireEvent.change(screen.getByLabelText("Subject"), { target: { value: "Din offert" } });
      await typeParagraph((await bodyEditor()).editor, "Hej {{contact.firstName}}");
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
      expect(await screen.findByText("Emails written from it: 3. Answered: 1.")).toBeTruthy();

      fireEvent.change(screen.getByRole("combobox", { name: "Contact to preview for" }), {
        target: { value: "Anna" },
      });
      fireEvent.click(await screen.findByRole("option", { name: /Anna Berg/ }, { timeout: 30_000 }));
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
  it(
    "loads a stored body into the rich-text editor and saves it edited, its merge field intact and sanitisable",
    async () => {
      const server = fakeWebServer({ role: "member" });
      const html =
        '<h2>Your offer</h2><p>Hi {{contact.firstName}}, <b>thanks</b> for <a href="https://contoso.example/">the call</a>.</p><ul><li>one</li><li>two</li></ul>';
      server.templates = [
        stored({
          id: "7e000000-0000-4000-8000-000000000011",
          name: "Offer",
          variants: { en: { subject: "Offer", html } },
        }),
      ];
      renderWebApp(server, "/app/templates");
      fireEvent.click(await screen.findByRole("button", { name: "Edit Offer" }));
      const { element, editor } = await bodyEditor();
      // The stored HTML became the editor's own nodes: a heading, a token for the field, bold, a link, a list.
      await waitFor(() =>
        expect(nodeTypes(editor)).toEqual([
          "heading",
          "text",
          "paragraph",
          "text",
          "merge-field",
          "text",
          "text",
          "text",
          "link",
          "text",
          "text",
          "list",
          "listitem",
          "text",
          "listitem",
          "text",
        ]),
      );
      expect(within(element).getByText("{{contact.firstName}}")).toBeTruthy();
      expect(within(element).getByRole("heading", { name: "Your offer" })).toBeTruthy();

      await typeParagraph(editor, "Best regards");
      fireEvent.click(screen.getByRole("button", { name: "Save" }));
      await waitFor(() => expect(server.received("updateTemplate")).toHaveLength(1));
      const sent = (server.received("updateTemplate")[0]?.body as { variants: Template["variants"] }).variants
        .en?.html;
      expect(sent).toBe(
        "<h2>Your offer</h2><p>Hi {{contact.firstName}}, <b><strong>thanks</strong></b> for " +
          '<a href="https://contoso.example/">the call</a>.</p><ul><li>one</li><li>two</li></ul><p>Best regards</p>',
      );
      // What the editor sends is what the server stores: the sanitiser leaves it as it is.
      expect(sanitizeTemplateHtml(sent as string, "variants.en.html")).toBe(sent);
    },
    SLOW,
  );

  it(
    "keeps each language's edits when switching between the language tabs",
    async () => {
      const server = fakeWebServer({ role: "member" });
      server.templates = [
        stored({
          id: "7e000000-0000-4000-8000-000000000012",
          name: "Welcome",
          variants: {
            en: { subject: "Welcome", html: "<p>Hello</p>" },
            sv: { subject: "Välkommen", html: "<p>Hej</p>" },
          },
        }),
      ];
      renderWebApp(server, "/app/templates");
      fireEvent.click(await screen.findByRole("button", { name: "Edit Welcome" }));
      await typeParagraph((await bodyEditor()).editor, "See you soon");
      fireEvent.click(screen.getByRole("tab", { name: "Svenska" }));
      await waitFor(async () => expect((await bodyEditor()).element.textContent).toContain("Hej"));
      await typeParagraph((await bodyEditor()).editor, "Vi ses snart");
      fireEvent.click(screen.getByRole("tab", { name: "Deutsch" }));
      await waitFor(async () => expect((await bodyEditor()).element.textContent).toBe(""));
      await typeParagraph((await bodyEditor()).editor, "Bis bald");
      fireEvent.click(screen.getByRole("tab", { name: "English" }));
      await waitFor(async () => expect((await bodyEditor()).element.textContent).toBe("HelloSee you soon"));
      fireEvent.click(screen.getByRole("tab", { name: "Svenska" }));
      await waitFor(async () => expect((await bodyEditor()).element.textContent).toBe("HejVi ses snart"));
      fireEvent.click(screen.getByRole("button", { name: "Save" }));
      await waitFor(() => expect(server.received("updateTemplate")).toHaveLength(1));
      expect(server.received("updateTemplate")[0]?.body).toMatchObject({
        variants: {
          en: { subject: "Welcome", html: "<p>Hello</p><p>See you soon</p>" },
          sv: { subject: "Välkommen", html: "<p>Hej</p><p>Vi ses snart</p>" },
          // A language written in only its body is kept too; the server asks nothing more of a variant.
          de: { subject: "", html: "<p>Bis bald</p>" },
        },
      });
    },
    SLOW,
  );

  it(
    "inserts a merge field from the menu, the organisation's custom fields among them, as a token",
    async () => {
      const server = fakeWebServer({
        role: "admin",
        customFields: [
          customFieldDefinition({ key: "tier", label: "Tier", type: "text", entity: "contact" }),
        ],
      });
      renderWebApp(server, "/app/templates");
      fireEvent.click(await screen.findByRole("button", { name: "New template" }));
      fireEvent.change(await screen.findByLabelText(/^Name/), { target: { value: "Tiered" } });
      const { element, editor } = await bodyEditor();
      await typeParagraph(editor, "Dear ");
      fireEvent.click(screen.getByRole("button", { name: "Insert merge field" }));
      fireEvent.click(await screen.findByRole("menuitem", { name: /^First name/ }));
      await waitFor(() => expect(nodeTypes(editor)).toEqual(["paragraph", "text", "merge-field"]));
      fireEvent.click(screen.getByRole("button", { name: "Insert merge field" }));
      // Each field says which it is, by its record's heading and its own name.
      expect(await screen.findByRole("menuitem", { name: /^Your signature/ })).toBeTruthy();
      fireEvent.click(await screen.findByRole("menuitem", { name: /^Contact: Tier/ }));
      await waitFor(() =>
        expect(nodeTypes(editor)).toEqual(["paragraph", "text", "merge-field", "merge-field"]),
      );
      // Lexical tells the form after its commit; a rep's next click comes after React has drawn that.
      await act(async () => {});
      expect(within(element).getByText("{{contact.custom.tier}}")).toBeTruthy();
      fireEvent.click(screen.getByRole("button", { name: "Save" }));
      await waitFor(() => expect(server.received("createTemplate")).toHaveLength(1));
      expect(server.received("createTemplate")[0]?.body).toMatchObject({
        variants: { en: { html: "<p>Dear {{contact.firstName}}{{contact.custom.tier}}</p>" } },
      });
    },
    SLOW,
  );

  it(
    "refuses a javascript: link and adds an https one to the selected words",
    async () => {
      const server = fakeWebServer({ role: "member" });
      server.templates = [
        stored({
          id: "7e000000-0000-4000-8000-000000000013",
          name: "Linked",
          variants: { en: { subject: "Linked", html: "<p>Read the offer</p>" } },
        }),
      ];
      renderWebApp(server, "/app/templates");
      fireEvent.click(await screen.findByRole("button", { name: "Edit Linked" }));
      const { editor } = await bodyEditor();
      await waitFor(() => expect(nodeTypes(editor)).toEqual(["paragraph", "text"]));
      // "the offer" selected, as a rep would drag over it.
      await act(async () => {
        editor.update(
          () => {
            const text = $getRoot().getFirstDescendant();
            if (text && "select" in text && typeof text.select === "function") text.select(5, 14);
          },
          { discrete: true },
        );
      });
      fireEvent.click(screen.getByRole("button", { name: "Link" }));
      const address = await screen.findByRole("textbox", { name: "Link address" });
      fireEvent.change(address, { target: { value: "javascript:alert(document.cookie)" } });
      fireEvent.click(screen.getByRole("button", { name: "Add link" }));
      expect(await screen.findByText("A link must be an http, https or mailto address.")).toBeTruthy();
      expect(nodeTypes(editor)).toEqual(["paragraph", "text"]);
      fireEvent.change(address, { target: { value: "https://contoso.example/offer" } });
      fireEvent.click(screen.getByRole("button", { name: "Add link" }));
      await waitFor(() => expect(nodeTypes(editor)).toEqual(["paragraph", "text", "link", "text"]));
      // Nor does Lexical's own link command (which a pasted address goes through) take one, on any words.
      await act(async () => {
        editor.update(() => $getRoot().select(0, 1), { discrete: true });
        editor.dispatchCommand(TOGGLE_LINK_COMMAND, "javascript:alert(1)");
      });
      expect(nodeTypes(editor)).toEqual(["paragraph", "text", "link", "text"]);
      fireEvent.click(screen.getByRole("button", { name: "Save" }));
      await waitFor(() => expect(server.received("updateTemplate")).toHaveLength(1));
      const html = (server.received("updateTemplate")[0]?.body as { variants: Template["variants"] }).variants
        .en?.html;
      expect(html).toContain('<p>Read <a href="https://contoso.example/offer">the offer</a></p>');
      expect(html).not.toContain("javascript:");
    },
    SLOW,
  );
  it(
    "filters the list by whose, folder and tag, and shows each template's tags",
    async () => {
      const server = fakeWebServer({ role: "member" });
      server.templates = [
        stored({
          id: "7e000000-0000-4000-8000-000000000021",
          name: "Offer",
          scope: "organization",
          ownerId: null,
          folder: "Offers",
          tags: ["q4"],
          variants: { en: { subject: "Offer", html: "<p>x</p>" } },
        }),
        stored({
          id: "7e000000-0000-4000-8000-000000000022",
          name: "Follow-up",
          folder: "Follow-ups",
          tags: ["warm", "q4"],
          variants: { en: { subject: "Follow-up", html: "<p>y</p>" } },
        }),
      ];
      renderWebApp(server, "/app/templates");
      expect(await screen.findByRole("cell", { name: "warm, q4" })).toBeTruthy();
      const shown = () => screen.queryAllByRole("button", { name: /^Edit / }).map((b) => b.textContent);
      expect(shown()).toEqual(["Offer", "Follow-up"]);
      fireEvent.change(screen.getByRole("combobox", { name: "Folder" }), { target: { value: "Offers" } });
      await waitFor(() => expect(shown()).toEqual(["Offer"]));
      fireEvent.change(screen.getByRole("combobox", { name: "Folder" }), { target: { value: "" } });
      fireEvent.change(screen.getByRole("combobox", { name: "Tag" }), { target: { value: "warm" } });
      await waitFor(() => expect(shown()).toEqual(["Follow-up"]));
      fireEvent.change(screen.getByRole("combobox", { name: "Tag" }), { target: { value: "" } });
      fireEvent.change(screen.getByRole("combobox", { name: "Whose" }), {
        target: { value: "organization" },
      });
      await waitFor(() => expect(shown()).toEqual(["Offer"]));
      expect(server.received("listTemplates").at(-1)?.query).toMatchObject({ scope: "organization" });
    },
    SLOW,
  );
});
