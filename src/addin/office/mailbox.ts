/**
 * How much of a body a log carries: the server keeps an 8 KB excerpt from the top, which 16k characters always
 * hold, and a queued log stays within what the browser's storage can keep.
 */
export const LOGGED_BODY_CHARS = 16_384;

/** An address as Outlook shows it: the display name may be empty. */
export interface Address {
  address: string;
  name: string | null;
}

/** The open email as plain data: what the pane needs, and nothing of Office.js. */
export interface OpenMessage {
  /** Null while composing: a draft has no internet message id until it is sent. */
  internetMessageId: string | null;
  /**
   * Rapport's key on a message that was logged as it was sent (a custom property the sent copy keeps): logging
   * the copy with it joins that interaction instead of making a second one.
   */
  rapportKey?: string | null;
  conversationId: string | null;
  subject: string;
  from: Address | null;
  to: Address[];
  cc: Address[];
  /** When it was sent (read mode); null for a draft. */
  sentAt: string | null;
  mode: "read" | "compose";
}

/**
 * The open meeting as plain data: what the pane needs to show its people and log it, nothing of Office.js. Outlook
 * gives an organiser the compose form (async getters) and an attendee the read form (properties); both read the same.
 */
export interface OpenAppointment {
  /** The rep's side of it: "organizer" on a meeting they are arranging, "attendee" on one they were invited to. */
  mode: "organizer" | "attendee";
  /**
   * Outlook's id of the item in the rep's calendar (EWS form); null on a meeting the organiser has not saved yet,
   * which has none. Two meetings of one subject are two items: the pane keeps each one's state apart by it.
   */
  itemId: string | null;
  /**
   * The same id in the form Microsoft Graph takes (`/me/events/{id}`), for reading what Office.js does not give (its
   * iCalUId); null without an item id, or where Outlook cannot convert one.
   */
  restId: string | null;
  /**
   * The meeting's id across calendars (Graph's iCalUId). Office.js does not expose it, so it is null in Outlook and
   * the server recognises a meeting logged twice by its organiser, start and subject; the simulated mailbox may
   * carry one, as a meeting the calendar capture saw does.
   */
  iCalUId: string | null;
  subject: string;
  /** ISO instants. */
  start: string;
  end: string;
  location: string | null;
  organizer: Address | null;
  requiredAttendees: Address[];
  optionalAttendees: Address[];
}

/** What the pane puts into a draft from a template: its HTML, and the same as text for a draft in plain text. */
export interface DraftInsert {
  html: string;
  text: string;
}

/** A file the pane attaches to a draft (a quote's PDF): its name as the recipient sees it, its bytes in base64. */
export interface DraftAttachment {
  name: string;
  base64: string;
}

/**
 * What the add-in asks of Outlook. `office-mailbox.ts` implements it over Office.js; `simulated-mailbox.ts`
 * implements it in memory for the browser preview and the tests, so the pane runs unchanged in both.
 */
export interface Mailbox {
  readOpenMessage(): Promise<OpenMessage | null>;
  /** The meeting open in Outlook (organiser or attendee), or null when the open item is not one. */
  readOpenAppointment(): Promise<OpenAppointment | null>;
  /**
   * Marks the open meeting as logged: the EventLogged custom property, which turns Outlook mobile's "Log" button on
   * the meeting into "View" (learn.microsoft.com, "Log appointment notes to an external application in Outlook
   * mobile add-ins"). Best effort: the log itself is on the server already.
   */
  markAppointmentLogged(): Promise<void>;
  /** The body as plain text (Outlook converts HTML), for the excerpt a logged email keeps. */
  readBodyText(): Promise<string>;
  /**
   * Called when another item is selected (pinned pane), or the open draft's or meeting's recipients change, or an
   * organiser moves the meeting's time. One subscription for every kind of item: Office.js removes an event's
   * handlers all at once, so two subscribers to ItemChanged would end each other's. Returns the unsubscribe.
   */
  onOpenMessageChanged(listener: () => void): () => void;
  /** The rep's own address, left out of the participants the pane looks up. */
  userAddress(): string | null;
  /** Outlook's display language, e.g. "sv-SE". */
  displayLanguage(): string;
  /** Whether Outlook shows a dark theme. */
  prefersDark(): boolean;
  /** Called when the rep switches Outlook's theme. Returns the unsubscribe. */
  onThemeChanged(listener: () => void): () => void;
  /** A line on the open item (Outlook's notification bar): what a ribbon command did, without opening the pane. */
  notify(text: string, kind: "info" | "error"): Promise<void>;
  /** Whether the rep ticked "log this email when it is sent" on the draft (kept for the send, not saved). */
  readLogOnSend(): Promise<boolean>;
  setLogOnSend(on: boolean): Promise<void>;
  /**
   * The draft's "remind me if no reply in N days": the working days, null when the rep turned it off, undefined
   * when they said nothing (the organisation's default then applies). Kept with the draft like the tick.
   */
  readFollowUp(): Promise<number | null | undefined>;
  setFollowUp(days: number | null): Promise<void>;
  /** Puts Rapport's key on the draft as it is sent; the sent copy keeps it (see OpenMessage.rapportKey). */
  setRapportKey(key: string): Promise<void>;
  /**
   * Puts a template's text into the draft where the rep's cursor is (replacing a selection, as typing would):
   * the HTML in an HTML draft, the text in a plain-text one, which would otherwise show the tags.
   */
  insertIntoDraft(content: DraftInsert): Promise<void>;
  /** Sets the draft's subject unless the rep wrote one; whether it was set. */
  setSubjectIfEmpty(subject: string): Promise<boolean>;
  /** The template last put into this draft, for its log on send (kept with the draft, not saved); null: none. */
  readInsertedTemplate(): Promise<string | null>;
  setInsertedTemplate(templateId: string): Promise<void>;
  /**
   * Attaches a file to the draft (a quote's PDF). Outlook takes it from base64 (Mailbox 1.8): the pane has the
   * bytes, not a URL Outlook's servers could fetch (the server is behind the rep's sign-in).
   */
  attachToDraft(file: DraftAttachment): Promise<void>;
}
