import { $generateHtmlFromNodes, $generateNodesFromDOM } from "@lexical/html";
import { $createParagraphNode, $getRoot, $insertNodes, type LexicalEditor } from "lexical";

// Between a template's stored HTML (sanitised by the server, src/server/templates/sanitize.ts) and the editor.

/**
 * What the editor has no node for: loaded into it, they would be dropped on the next save, so a body holding one
 * opens in the HTML source instead (the sanitiser keeps them, and a rep may have pasted them on purpose).
 */
const BEYOND_THE_EDITOR = "table, img, pre, code, hr, sub, sup, s, strike, small, mark, blockquote, [style]";

/** Whether the editor would lose part of this HTML (a table, an image, a colour) if it were loaded and saved. */
export function editorWouldLose(html: string): boolean {
  if (!html.trim()) return false;
  const dom = new DOMParser().parseFromString(html, "text/html");
  return dom.body.querySelector(BEYOND_THE_EDITOR) !== null;
}

/** Replaces what the editor holds with this HTML (the server's sanitised text, or what a rep typed as source). */
export function $loadHtml(editor: LexicalEditor, html: string): void {
  const root = $getRoot();
  root.clear();
  // An empty body is one empty paragraph, as Lexical starts one: the place the first words go.
  if (!html.trim()) {
    root.append($createParagraphNode());
    return;
  }
  const dom = new DOMParser().parseFromString(html, "text/html");
  root.select();
  $insertNodes($generateNodesFromDOM(editor, dom));
}

/**
 * The editor's content as a template body: empty when there is no text (an empty editor holds one empty
 * paragraph, which is no body). Lexical writes each run of text as `<span style="white-space: pre-wrap">`, which
 * the sanitiser would cut to a bare `<span>` anyway, numbers list items (`value`), keeps the theme's class
 * names and gives links a `rel`, which it drops: all are left out here so what is sent is what is stored.
 */
export function $exportHtml(editor: LexicalEditor): string {
  if ($getRoot().getTextContent().trim() === "") return "";
  const template = document.createElement("template");
  template.innerHTML = $generateHtmlFromNodes(editor, null);
  for (const item of template.content.querySelectorAll("li[value]")) item.removeAttribute("value");
  for (const element of template.content.querySelectorAll("[class]")) element.removeAttribute("class");
  for (const link of template.content.querySelectorAll("a")) {
    link.removeAttribute("rel");
    link.removeAttribute("target");
  }
  for (const element of template.content.querySelectorAll("[style]")) {
    if (/^\s*white-space:\s*pre-wrap;?\s*$/.test(element.getAttribute("style") ?? ""))
      element.removeAttribute("style");
  }
  for (const span of template.content.querySelectorAll("span:not([style])"))
    span.replaceWith(...span.childNodes);
  return template.innerHTML;
}
