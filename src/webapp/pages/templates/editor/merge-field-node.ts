import {
  $applyNodeReplacement,
  type EditorConfig,
  type LexicalEditor,
  type LexicalNode,
  TextNode,
  addClassNamesToElement,
} from "lexical";

// A merge field in the editor is a token: it is written, exported and stored as its plain text `{{name}}` (what
// the server parses, and what the sanitiser keeps without any attribute of ours), but in the editor it is one
// unit that Backspace removes whole and typing cannot get inside. A half-edited `{{contact.first` would be saved
// as text the reader sees; a token cannot become one. Text that reads as a field, typed or loaded from stored
// HTML, is turned into a token by a transform on text nodes (registerMergeFieldTokens), so the round trip through
// HTML needs nothing but the braces. (Lexical's text entity helper keeps entities editable, in normal mode, and
// turns a token back into text: the reason this transform is our own.)

/** A merge field as the server reads one: `{{`, a name of letters, digits, `_` and `.`, `}}` (no spaces kept). */
const FIELD = /\{\{\s*([A-Za-z][A-Za-z0-9_.]{0,150})\s*\}\}/;

/** Where the first merge field in a text is, for the text entity transform. */
export function mergeFieldMatch(text: string): { start: number; end: number } | null {
  const match = FIELD.exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}

/** The CSS class the theme gives merge fields; set by the editor from its styles. */
export const MERGE_FIELD_THEME_KEY = "mergeField";

/** @noInheritDoc */
export class MergeFieldNode extends TextNode {
  override $config() {
    return this.config("merge-field", { extends: TextNode });
  }

  override createDOM(config: EditorConfig): HTMLElement {
    const element = super.createDOM(config);
    const className = config.theme[MERGE_FIELD_THEME_KEY];
    if (typeof className === "string") addClassNamesToElement(element, className);
    return element;
  }

  override canInsertTextBefore(): boolean {
    return false;
  }

  override canInsertTextAfter(): boolean {
    return false;
  }
}

/** A merge field token for a name (`contact.firstName`), or for a text node's text when it is one. */
export function $createMergeFieldNode(nameOrText: string): MergeFieldNode {
  const text = nameOrText.startsWith("{{") ? nameOrText : `{{${nameOrText}}}`;
  return $applyNodeReplacement(new MergeFieldNode(text).setMode("token"));
}

export function $isMergeFieldNode(node: LexicalNode | null | undefined): node is MergeFieldNode {
  return node instanceof MergeFieldNode;
}

/** The first merge field in a plain text node made a token; the text after it is a new node, transformed in turn. */
function $tokenizeMergeFields(node: TextNode): void {
  // Tokens, and text in code or other special modes, are left as they are.
  if (!node.isSimpleText()) return;
  const match = mergeFieldMatch(node.getTextContent());
  if (match === null) return;
  const parts = match.start === 0 ? node.splitText(match.end) : node.splitText(match.start, match.end);
  const field = match.start === 0 ? parts[0] : parts[1];
  if (field === undefined) return;
  field.replace(
    $createMergeFieldNode(field.getTextContent()).setFormat(field.getFormat()).setStyle(field.getStyle()),
  );
}

/** Turns `{{…}}` in the editor's text into tokens as it is typed, pasted or loaded; returns the unregister. */
export const registerMergeFieldTokens = (editor: LexicalEditor): (() => void) =>
  editor.registerNodeTransform(TextNode, $tokenizeMergeFields);
