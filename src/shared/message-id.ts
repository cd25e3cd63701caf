/** Message-IDs are compared as written, but Outlook and Graph differ on the angle brackets: keep them always. */
export function normalizeMessageId(id: string): string {
  const bare = id.trim().replace(/^<+/, "").replace(/>+$/, "");
  return `<${bare}>`;
}
