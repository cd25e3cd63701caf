/** Message-IDs are compared as written, but Outlook and Graph differ on the angle brackets: keep them always. */
export function normalizeMessageId(id: string): string {
  const trimmed = id.trim();
  // Loops, not />+$/, which is retried from every bracket of a run that does not end the text: quadratic.
  let start = 0;
  while (trimmed.charCodeAt(start) === 0x3c) start++;
  let end = trimmed.length;
  while (end > start && trimmed.charCodeAt(end - 1) === 0x3e) end--;
  return `<${trimmed.slice(start, end)}>`;
}
