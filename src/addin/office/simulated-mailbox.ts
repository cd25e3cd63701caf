import type { Mailbox, OpenAppointment, OpenMessage } from "./mailbox";

export interface SimulatedMessage extends OpenMessage {
  id: string;
  bodyText: string;
  /** The draft's "log this email when it is sent" (session data in Outlook). */
  logOnSend?: boolean;
  /** A draft's body as HTML, what templates put into it (bodyText gets their text). */
  bodyHtml?: string;
  /** The template last put into the draft (session data in Outlook). */
  insertedTemplateId?: string;
  /** The draft's follow-up choice (session data in Outlook): days, null for off, absent when not chosen. */
  followUp?: number | null;
  /** The files attached to the draft by the pane, in order. */
  attachments?: { name: string; base64: string }[];
}

/** A meeting in the simulated calendar, organised by the rep or one they were invited to. */
export interface SimulatedAppointment extends Omit<OpenAppointment, "itemId" | "restId"> {
  /** The item's id in the simulated calendar: what Outlook's itemId is to the pane. */
  id: string;
  /** Its id as Graph knows it, where the simulated calendar stands for one Graph can read. */
  restId?: string;
  /** Outlook mobile's EventLogged custom property, set once the pane logged it. */
  eventLogged?: boolean;
}

export interface SimulatedMailbox extends Mailbox {
  messages(): readonly SimulatedMessage[];
  appointments(): readonly SimulatedAppointment[];
  /** Selects a message or a meeting as a click in Outlook would, notifying the pane like ItemChanged does. */
  select(id: string | null): void;
  /** Replaces a draft's recipients, as typing in To/Cc would (RecipientsChanged). */
  updateDraft(id: string, change: Pick<OpenMessage, "to" | "cc">): void;
  /** Switches the theme, as the rep would in Outlook's settings (OfficeThemeChanged). */
  setDark(dark: boolean): void;
  /** What the commands showed on each item's notification bar, oldest first. */
  notifications(): readonly { messageId: string; text: string; kind: "info" | "error" }[];
  /**
   * Called when a draft's subject or body changes, for the preview to show it. Outlook tells the pane nothing of
   * these, so neither does this mailbox: only the page around the pane hears it. Returns the unsubscribe.
   */
  onDraftContentChanged(listener: () => void): () => void;
}

/**
 * The mailbox of the browser preview and the tests: the same interface as Outlook's, in memory, so the pane
 * runs unchanged outside Outlook.
 */
export function createSimulatedMailbox(options: {
  messages: SimulatedMessage[];
  appointments?: SimulatedAppointment[];
  userAddress: string;
  displayLanguage?: string;
  prefersDark?: boolean;
  selected?: string | null;
}): SimulatedMailbox {
  const messages = options.messages.map((m) => ({ ...m }));
  const appointments = (options.appointments ?? []).map((a) => ({ ...a }));
  let selected = options.selected ?? null;
  let dark = options.prefersDark ?? false;
  const listeners = new Set<() => void>();
  const themeListeners = new Set<() => void>();
  const contentListeners = new Set<() => void>();
  const draft = () => {
    const message = current();
    if (message?.mode !== "compose") throw new Error("a template goes into a draft only");
    return message;
  };
  const shown: { messageId: string; text: string; kind: "info" | "error" }[] = [];
  const current = () => messages.find((m) => m.id === selected) ?? null;
  const notify = () => listeners.forEach((listener) => listener());

  return {
    messages: () => messages,
    appointments: () => appointments,
    select(id) {
      selected = id;
      notify();
    },
    updateDraft(id, change) {
      const draft = messages.find((m) => m.id === id && m.mode === "compose");
      if (!draft) throw new Error(`no draft ${id}`);
      Object.assign(draft, change);
      if (selected === id) notify();
    },
    async readOpenMessage() {
      const message = current();
      if (!message) return null;
      const {
        id: _id,
        bodyText: _body,
        logOnSend: _log,
        bodyHtml: _html,
        insertedTemplateId: _template,
        followUp: _followUp,
        attachments: _attachments,
        ...open
      } = message;
      return { ...open, to: [...open.to], cc: [...open.cc] };
    },
    async readOpenAppointment() {
      const appointment = appointments.find((a) => a.id === selected);
      if (!appointment) return null;
      const { id, eventLogged: _logged, restId, ...open } = appointment;
      return {
        ...open,
        itemId: id,
        restId: restId ?? null,
        organizer: open.organizer ? { ...open.organizer } : null,
        requiredAttendees: [...open.requiredAttendees],
        optionalAttendees: [...open.optionalAttendees],
      };
    },
    async markAppointmentLogged() {
      const appointment = appointments.find((a) => a.id === selected);
      if (appointment) appointment.eventLogged = true;
    },
    async readBodyText() {
      return current()?.bodyText ?? "";
    },
    onOpenMessageChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    userAddress: () => options.userAddress.toLowerCase(),
    displayLanguage: () => options.displayLanguage ?? "en-US",
    async notify(text, kind) {
      const message = current();
      if (message) shown.push({ messageId: message.id, text, kind });
    },
    notifications: () => shown,
    async readLogOnSend() {
      return current()?.logOnSend ?? false;
    },
    async setLogOnSend(on) {
      const message = current();
      if (message?.mode !== "compose") throw new Error("only a draft is logged on send");
      message.logOnSend = on;
    },
    async readFollowUp() {
      return current()?.followUp;
    },
    async setFollowUp(days) {
      const message = current();
      if (message?.mode !== "compose") throw new Error("only a draft gets a follow-up");
      message.followUp = days;
    },
    async setRapportKey(key) {
      const message = current();
      if (message?.mode !== "compose") throw new Error("only a draft gets a Rapport key");
      message.rapportKey = key;
    },
    async insertIntoDraft({ html, text }) {
      const message = draft();
      // The simulated draft's cursor is at the end of its body.
      message.bodyHtml = (message.bodyHtml ?? "") + html;
      message.bodyText += text;
      contentListeners.forEach((listener) => listener());
    },
    async setSubjectIfEmpty(subject) {
      const message = draft();
      if (message.subject.trim() !== "") return false;
      message.subject = subject;
      contentListeners.forEach((listener) => listener());
      return true;
    },
    async readInsertedTemplate() {
      return current()?.insertedTemplateId ?? null;
    },
    async setInsertedTemplate(templateId) {
      draft().insertedTemplateId = templateId;
    },
    async attachToDraft({ name, base64 }) {
      const message = current();
      if (message?.mode !== "compose") throw new Error("a file is attached to a draft only");
      message.attachments = [...(message.attachments ?? []), { name, base64 }];
      contentListeners.forEach((listener) => listener());
    },
    onDraftContentChanged(listener) {
      contentListeners.add(listener);
      return () => contentListeners.delete(listener);
    },
    prefersDark: () => dark,
    setDark(value) {
      dark = value;
      themeListeners.forEach((listener) => listener());
    },
    onThemeChanged(listener) {
      themeListeners.add(listener);
      return () => themeListeners.delete(listener);
    },
  };
}
