// A link in a template leads where a mail client opens it safely: a web page or a new email. The server's
// sanitiser also keeps `tel:`, but the editor offers only these three, and nothing that could run
// (`javascript:`, `data:`, `vbscript:`) or that a reader's client might resolve against something else (a
// relative or protocol-relative address).

const SCHEMES = new Set(["http:", "https:", "mailto:"]);

/** The address as a link would hold it, or null when it is not an http, https or mailto address. */
export function linkAddress(typed: string): string | null {
  const trimmed = typed.trim();
  if (trimmed === "") return null;
  // "www.example.com" as a rep types it is a web page; an address with a scheme keeps it, to be checked.
  const text = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(trimmed) ? trimmed : `https://${trimmed.replace(/^\/+/, "")}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!SCHEMES.has(url.protocol)) return null;
  if (url.protocol !== "mailto:" && url.hostname === "") return null;
  return url.href;
}

export const isLinkAddress = (typed: string) => linkAddress(typed) !== null;
