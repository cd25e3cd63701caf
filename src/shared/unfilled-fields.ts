// The merge fields a draft still shows unfilled, found in its text as Outlook hands it back on send.
//
// Rendering marks a field with no value as `<mark data-rapport-unfilled="name">[name]</mark>`, but what an
// on-send handler reads is the body as Outlook has rewritten it: Outlook on the web returns neither `data-*` nor
// `class` attributes from body.getAsync (office-js issues #5296 and #817), and classic Outlook's editor keeps a
// `<mark>` as a highlighted span. The one part of the mark every Outlook keeps is its visible text, `[name]`, so
// that is what is looked for, in the body as text. A rep who writes `[contact.title]` by hand is warned too,
// which is what it looks like to the reader either way.
//
// Classic Outlook's on-send runtime (launchevent.js, ES2016) runs this too: it imports nothing, so no zod or
// language tables come along, and a test keeps the pattern in step with the merge fields (MERGE_FIELDS).

/**
 * `[name]` for a merge field's name: `today`, or a record's field (`contact.title`, `deal.custom.tier`). Each
 * bracket is followed by a bounded run of name characters, so the scan is linear in the text's length.
 */
const UNFILLED =
  /\[(today|(?:contact|company|deal|rep|survey)\.[A-Za-z][A-Za-z0-9_]{0,49}(?:\.[a-z][a-z0-9_]{0,49})?)\]/;

/** At most this many names are reported: a warning names a few, and a hostile body cannot make it grow. */
const MAX_REPORTED = 20;

/** The merge fields shown unfilled in a draft's text, each once, in the order they first appear. */
export function unfilledFieldsIn(text: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(UNFILLED.source, "g");
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const name = match[1] as string;
    if (found.indexOf(name) === -1) found.push(name);
    if (found.length >= MAX_REPORTED) break;
  }
  return found;
}
