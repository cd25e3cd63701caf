import { $createLinkNode, $isLinkNode, $toggleLink } from "@lexical/link";
import { $isListNode, ListNode } from "@lexical/list";
import { $createHeadingNode, $isHeadingNode } from "@lexical/rich-text";
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $getSelection,
  $isParagraphNode,
  $isRangeSelection,
  $setSelection,
  type BaseSelection,
  type EditorState as LexicalEditorState,
  type LexicalEditor,
  type LexicalNode,
} from "lexical";
import { $createMergeFieldNode } from "./merge-field-node";

// What the toolbar does to the text, as Lexical updates (each runs inside editor.update).

export type BlockStyle = "paragraph" | "h1" | "h2" | "h3";

/** What the toolbar shows for the selection: its formats and list, its block's style, its link's address. */
export interface EditorState {
  formats: string[];
  block: BlockStyle;
  link: string | null;
}

const listTypeOf = (node: LexicalNode): "bullet" | "number" | null => {
  for (let parent = node.getParent(); parent !== null; parent = parent.getParent())
    if ($isListNode(parent)) return (parent as ListNode).getListType() === "number" ? "number" : "bullet";
  return null;
};

export function readEditorState(editor: LexicalEditor, state?: LexicalEditorState): EditorState {
  return (state ?? editor.getEditorState()).read(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return { formats: [], block: "paragraph", link: null };
    const formats = (["bold", "italic", "underline"] as const).filter((f) =>
      selection.hasFormat(f),
    ) as string[];
    const anchor = selection.anchor.getNode();
    const list = listTypeOf(anchor);
    if (list) formats.push(list);
    const top = anchor.getKey() === "root" ? null : anchor.getTopLevelElement();
    const tag = $isHeadingNode(top) ? top.getTag() : "p";
    const block: BlockStyle = tag === "h1" || tag === "h2" || tag === "h3" ? tag : "paragraph";
    const linkNode = $isLinkNode(anchor) ? anchor : anchor.getParent();
    const link = $isLinkNode(linkNode) ? linkNode.getURL() : null;
    if (link !== null) formats.push("link");
    return { formats, block, link };
  });
}

/** The selection now, to restore when a popup that took the focus acts on it. */
export function rememberSelection(editor: LexicalEditor): BaseSelection | null {
  return editor.getEditorState().read(() => $getSelection()?.clone() ?? null);
}

/** The remembered selection back, or the end of the text when there was none (nothing was clicked yet). */
function $restore(selection: BaseSelection | null) {
  if (selection) $setSelection(selection.clone());
  const current = $getSelection();
  if ($isRangeSelection(current)) return current;
  const root = $getRoot();
  if (root.getChildrenSize() === 0) root.append($createParagraphNode());
  root.selectEnd();
  const end = $getSelection();
  if (!$isRangeSelection(end)) throw new Error("the end of the editor's text is no range");
  return end;
}

/** A merge field token where the rep was, as the menu inserts it. */
export function $insertMergeField(selection: BaseSelection | null, name: string): void {
  $restore(selection).insertNodes([$createMergeFieldNode(name)]);
}

/**
 * A link to an address the caller checked (linkAddress) on the selected text; on no selected text, the address
 * itself as the link's text. Null removes the link.
 */
export function $applyLink(selection: BaseSelection | null, url: string | null): void {
  const range = $restore(selection);
  if (url !== null && range.isCollapsed() && !$isLinkNode(range.anchor.getNode().getParent())) {
    range.insertNodes([$createLinkNode(url).append($createTextNode(url))]);
    return;
  }
  $toggleLink(url);
}

/** The selected paragraphs and headings as paragraphs or headings of a level; lists keep their items. */
export function $setBlockStyle(selection: BaseSelection | null, style: BlockStyle): void {
  const range = $restore(selection);
  const blocks = new Set<LexicalNode>();
  for (const node of range.getNodes()) {
    const top = node.getKey() === "root" ? null : node.getTopLevelElement();
    if (top) blocks.add(top);
  }
  for (const block of blocks) {
    if (!$isParagraphNode(block) && !$isHeadingNode(block)) continue;
    block.replace(style === "paragraph" ? $createParagraphNode() : $createHeadingNode(style), true);
  }
}
