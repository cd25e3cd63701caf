/** Elements after which a plain-text draft starts a new line, as a mail client shows the HTML. */
const BLOCKS = new Set([
  "P",
  "DIV",
  "LI",
  "TR",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "BLOCKQUOTE",
  "PRE",
  "UL",
  "OL",
]);

/**
 * A template's HTML as the text a plain-text draft takes: its words, a line per paragraph or `<br>`. Parsed with
 * DOMParser, whose document is inert (no script runs, no image loads); walked once, so linear in its size.
 */
export function htmlToText(html: string): string {
  const body = new DOMParser().parseFromString(html, "text/html").body;
  let text = "";
  const newline = () => {
    if (text !== "" && !text.endsWith("\n")) text += "\n";
  };
  // An explicit stack, not recursion: a deeply nested body cannot overflow the call stack.
  const stack: (Node | "end-block")[] = [body];
  while (stack.length > 0) {
    const node = stack.pop() as Node | "end-block";
    if (node === "end-block") {
      newline();
      continue;
    }
    if (node.nodeType === Node.TEXT_NODE) {
      text += node.textContent ?? "";
      continue;
    }
    if (node.nodeName === "BR") {
      text += "\n";
      continue;
    }
    if (BLOCKS.has(node.nodeName)) {
      newline();
      stack.push("end-block");
    }
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Node);
  }
  return text.trim();
}
