/// <reference types="office-js" />
import type { Address, Mailbox, OpenAppointment, OpenMessage } from "./mailbox";

const toAddress = (details: Office.EmailAddressDetails): Address => ({
  address: details.emailAddress,
  name: details.displayName && details.displayName !== details.emailAddress ? details.displayName : null,
});

/** Office.js speaks in callbacks; the rest of the add-in speaks in promises. */
function promised<T>(call: (callback: (result: Office.AsyncResult<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    call((result) =>
      result.status === Office.AsyncResultStatus.Succeeded
        ? resolve(result.value)
        : reject(new Error(result.error.message)),
    ),
  );
}

function isCompose(item: Office.MessageRead | Office.MessageCompose): item is Office.MessageCompose {
  // In compose mode `subject` is an object with getAsync; in read mode a string.
  return typeof (item as Office.MessageCompose).subject === "object";
}

type AnyItem =
  Office.MessageRead | Office.MessageCompose | Office.AppointmentRead | Office.AppointmentCompose;

function isAppointmentCompose(
  item: Office.AppointmentRead | Office.AppointmentCompose,
): item is Office.AppointmentCompose {
  // As for messages: the organiser's form has getters (objects), the attendee's plain values.
  return typeof (item as Office.AppointmentCompose).subject === "object";
}

/** Outlook's location is free text; an empty one is no location. */
const locationOf = (text: string | undefined | null) => (text && text.trim() ? text.trim() : null);

const NOTIFICATION_KEY = "rapport";
/** The custom property Outlook mobile reads to show "View" instead of "Log" on a logged meeting. */
export const EVENT_LOGGED_PROPERTY = "EventLogged";
const LOG_ON_SEND = "rapport.logOnSend";
const INSERTED_TEMPLATE = "rapport.templateId";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FOLLOW_UP = "rapport.followUp";

/** The custom property Rapport sets on a message it logs as it is sent; absent on everything else. */
export const RAPPORT_KEY_PROPERTY = "rapportKey";

async function readRapportKey(item: Office.MessageRead): Promise<string | null> {
  try {
    const properties = await promised<Office.CustomProperties>((cb) => item.loadCustomPropertiesAsync(cb));
    const key: unknown = properties.get(RAPPORT_KEY_PROPERTY);
    return typeof key === "string" && key ? key : null;
  } catch {
    // A message whose properties cannot be read is logged by its message id alone, as any other.
    return null;
  }
}

/**
 * The organiser's form has no itemId property: getItemIdAsync (Mailbox 1.8) gives it once the meeting is saved, and
 * fails on one never saved, which has none yet.
 */
async function savedItemId(item: Office.AppointmentCompose): Promise<string | null> {
  if (!Office.context.requirements.isSetSupported("Mailbox", "1.8")) return null;
  try {
    return await promised<string>((cb) => item.getItemIdAsync(cb));
  } catch {
    return null;
  }
}

/**
 * An item id as Graph takes it. Outlook on iOS and Android hands out REST ids already and has no convertToRestId;
 * elsewhere the EWS id is converted (Mailbox 1.3). Null where neither works: the caller falls back without it.
 */
function restIdOf(itemId: string | null): string | null {
  if (!itemId) return null;
  const mailbox = Office.context.mailbox;
  if (/OutlookIOS|OutlookAndroid/.test(mailbox.diagnostics?.hostName ?? "")) return itemId;
  try {
    return mailbox.convertToRestId(itemId, Office.MailboxEnums.RestVersion.v2_0) || null;
  } catch {
    return null;
  }
}

/** The real mailbox: Office.context.mailbox, only ever touched here. */
export function createOfficeMailbox(): Mailbox {
  const mailbox = () => Office.context.mailbox;
  const currentItem = () => mailbox().item as Office.MessageRead | Office.MessageCompose | null | undefined;
  const anyItem = () => mailbox().item as AnyItem | null | undefined;
  const currentAppointment = () => {
    const item = anyItem();
    return item && item.itemType === Office.MailboxEnums.ItemType.Appointment
      ? (item as Office.AppointmentRead | Office.AppointmentCompose)
      : null;
  };

  return {
    async readOpenMessage(): Promise<OpenMessage | null> {
      const item = currentItem();
      if (!item || item.itemType !== Office.MailboxEnums.ItemType.Message) return null;
      if (isCompose(item)) {
        const [subject, to, cc] = await Promise.all([
          promised<string>((cb) => item.subject.getAsync(cb)),
          promised<Office.EmailAddressDetails[]>((cb) => item.to.getAsync(cb)),
          promised<Office.EmailAddressDetails[]>((cb) => item.cc.getAsync(cb)),
        ]);
        return {
          internetMessageId: null,
          conversationId: item.conversationId ?? null,
          subject,
          from: null,
          to: to.map(toAddress),
          cc: cc.map(toAddress),
          sentAt: null,
          mode: "compose",
        };
      }
      return {
        internetMessageId: item.internetMessageId ?? null,
        rapportKey: await readRapportKey(item),
        conversationId: item.conversationId ?? null,
        subject: item.subject ?? "",
        from: item.from ? toAddress(item.from) : null,
        to: (item.to ?? []).map(toAddress),
        cc: (item.cc ?? []).map(toAddress),
        sentAt: item.dateTimeCreated ? item.dateTimeCreated.toISOString() : null,
        mode: "read",
      };
    },

    async readOpenAppointment(): Promise<OpenAppointment | null> {
      const item = currentAppointment();
      if (!item) return null;
      if (isAppointmentCompose(item)) {
        // The organiser's form: every field through its getter (Mailbox 1.1), the organiser's own since 1.7.
        const [subject, start, end, location, required, optional] = await Promise.all([
          promised<string>((cb) => item.subject.getAsync(cb)),
          promised<Date>((cb) => item.start.getAsync(cb)),
          promised<Date>((cb) => item.end.getAsync(cb)),
          promised<string>((cb) => item.location.getAsync(cb)),
          promised<Office.EmailAddressDetails[]>((cb) => item.requiredAttendees.getAsync(cb)),
          promised<Office.EmailAddressDetails[]>((cb) => item.optionalAttendees.getAsync(cb)),
        ]);
        let organizer: Address | null;
        if (Office.context.requirements.isSetSupported("Mailbox", "1.7")) {
          organizer = toAddress(
            await promised<Office.EmailAddressDetails>((cb) => item.organizer.getAsync(cb)),
          );
        } else {
          // Before 1.7 the form does not say; on the organiser's form it is the rep (a delegate's aside).
          const profile = mailbox().userProfile;
          organizer = profile.emailAddress
            ? { address: profile.emailAddress, name: profile.displayName || null }
            : null;
        }
        const itemId = await savedItemId(item);
        return {
          mode: "organizer",
          itemId,
          restId: restIdOf(itemId),
          iCalUId: null,
          subject,
          start: start.toISOString(),
          end: end.toISOString(),
          location: locationOf(location),
          organizer,
          requiredAttendees: required.map(toAddress),
          optionalAttendees: optional.map(toAddress),
        };
      }
      return {
        mode: "attendee",
        itemId: item.itemId ?? null,
        restId: restIdOf(item.itemId ?? null),
        iCalUId: null,
        subject: item.subject ?? "",
        start: item.start.toISOString(),
        end: item.end.toISOString(),
        location: locationOf(item.location),
        organizer: item.organizer ? toAddress(item.organizer) : null,
        requiredAttendees: (item.requiredAttendees ?? []).map(toAddress),
        optionalAttendees: (item.optionalAttendees ?? []).map(toAddress),
      };
    },

    async markAppointmentLogged() {
      const item = currentAppointment();
      if (!item) return;
      const properties = await promised<Office.CustomProperties>((cb) => item.loadCustomPropertiesAsync(cb));
      // A boolean, as Microsoft's guide sets it; office-js's typings say string, but the property holds any JSON value.
      properties.set(EVENT_LOGGED_PROPERTY, true as unknown as string);
      await promised<void>((cb) => properties.saveAsync(cb));
    },

    async readBodyText() {
      const item = currentItem();
      if (!item) return "";
      return promised<string>((cb) => item.body.getAsync(Office.CoercionType.Text, cb));
    },

    onOpenMessageChanged(listener) {
      // ItemChanged (Mailbox 1.5) fires when a pinned pane's selection changes; RecipientsChanged (1.7) in a draft
      // or on the organiser's meeting, AppointmentTimeChanged (1.7) when the organiser moves it.
      const handler = () => listener();
      mailbox().addHandlerAsync(Office.EventType.ItemChanged, handler);
      const item = currentItem();
      const watchRecipients =
        item && isCompose(item) && Office.context.requirements.isSetSupported("Mailbox", "1.7");
      if (watchRecipients) item.addHandlerAsync(Office.EventType.RecipientsChanged, handler);
      const appointment = currentAppointment();
      const watchTime =
        watchRecipients && appointment !== null && isAppointmentCompose(appointment) ? appointment : null;
      if (watchTime) watchTime.addHandlerAsync(Office.EventType.AppointmentTimeChanged, handler);
      return () => {
        mailbox().removeHandlerAsync(Office.EventType.ItemChanged);
        if (watchRecipients) item.removeHandlerAsync(Office.EventType.RecipientsChanged);
        if (watchTime) watchTime.removeHandlerAsync(Office.EventType.AppointmentTimeChanged);
      };
    },

    userAddress: () => mailbox().userProfile.emailAddress?.toLowerCase() ?? null,
    displayLanguage: () => Office.context.displayLanguage || "en-US",
    async notify(text, kind) {
      const item = currentItem();
      if (!item) return;
      // Outlook caps a notification at 150 characters; one key, so a second command replaces the first line.
      const message = text.length > 150 ? `${text.slice(0, 149)}…` : text;
      const details: Office.NotificationMessageDetails =
        kind === "error"
          ? { type: Office.MailboxEnums.ItemNotificationMessageType.ErrorMessage, message }
          : {
              type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
              message,
              icon: "Icon.16x16",
              persistent: false,
            };
      await promised<void>((cb) => item.notificationMessages.replaceAsync(NOTIFICATION_KEY, details, cb));
    },

    async readLogOnSend() {
      const item = currentItem();
      // Session data (Mailbox 1.11) lives with the draft until it is sent, and is never saved into the message.
      if (!item || !isCompose(item) || !Office.context.requirements.isSetSupported("Mailbox", "1.11"))
        return false;
      const value = await promised<string>((cb) => item.sessionData.getAsync(LOG_ON_SEND, cb)).catch(
        () => "",
      );
      return value === "1";
    },

    async setLogOnSend(on) {
      const item = currentItem();
      if (!item || !isCompose(item)) throw new Error("only a draft is logged on send");
      if (!Office.context.requirements.isSetSupported("Mailbox", "1.11"))
        throw new Error("this Outlook cannot keep the choice until the email is sent (Mailbox 1.11)");
      await promised<void>((cb) => item.sessionData.setAsync(LOG_ON_SEND, on ? "1" : "0", cb));
    },

    async readFollowUp() {
      const item = currentItem();
      if (!item || !isCompose(item) || !Office.context.requirements.isSetSupported("Mailbox", "1.11"))
        return undefined;
      const value = await promised<string>((cb) => item.sessionData.getAsync(FOLLOW_UP, cb)).catch(() => "");
      if (value === "off") return null;
      const days = Number(value);
      return Number.isInteger(days) && days >= 1 && days <= 30 ? days : undefined;
    },

    async setFollowUp(days) {
      const item = currentItem();
      if (!item || !isCompose(item)) throw new Error("only a draft gets a follow-up");
      if (!Office.context.requirements.isSetSupported("Mailbox", "1.11"))
        throw new Error("this Outlook cannot keep the choice until the email is sent (Mailbox 1.11)");
      await promised<void>((cb) =>
        item.sessionData.setAsync(FOLLOW_UP, days === null ? "off" : String(days), cb),
      );
    },

    async setRapportKey(key) {
      const item = currentItem();
      if (!item || !isCompose(item)) throw new Error("only a draft gets a Rapport key");
      const properties = await promised<Office.CustomProperties>((cb) => item.loadCustomPropertiesAsync(cb));
      properties.set(RAPPORT_KEY_PROPERTY, key);
      await promised<void>((cb) => properties.saveAsync(cb));
    },

    async insertIntoDraft({ html, text }) {
      const item = currentItem();
      if (!item || !isCompose(item)) throw new Error("a template goes into a draft only");
      // HTML given to a plain-text draft would show its tags (Outlook on Windows refuses it, error 2006).
      const type = await promised<Office.CoercionType>((cb) => item.body.getTypeAsync(cb));
      const asHtml = type === Office.CoercionType.Html;
      await promised<void>((cb) =>
        item.body.setSelectedDataAsync(
          asHtml ? html : text,
          { coercionType: asHtml ? Office.CoercionType.Html : Office.CoercionType.Text },
          cb,
        ),
      );
    },

    async attachToDraft({ name, base64 }) {
      const item = currentItem();
      if (!item || !isCompose(item)) throw new Error("a file is attached to a draft only");
      if (!Office.context.requirements.isSetSupported("Mailbox", "1.8"))
        throw new Error("this Outlook cannot attach a file from the add-in (Mailbox 1.8)");
      await promised<string>((cb) =>
        item.addFileAttachmentFromBase64Async(base64, name, { isInline: false }, cb),
      );
    },

    async setSubjectIfEmpty(subject) {
      const item = currentItem();
      if (!item || !isCompose(item)) throw new Error("a template goes into a draft only");
      const current = await promised<string>((cb) => item.subject.getAsync(cb));
      // The rep's own subject stays: a template's is only a start for a draft without one.
      if (current.trim() !== "") return false;
      await promised<void>((cb) => item.subject.setAsync(subject, cb));
      return true;
    },

    async readInsertedTemplate() {
      const item = currentItem();
      if (!item || !isCompose(item) || !Office.context.requirements.isSetSupported("Mailbox", "1.11"))
        return null;
      const value = await promised<string>((cb) => item.sessionData.getAsync(INSERTED_TEMPLATE, cb)).catch(
        () => "",
      );
      // Only an id, as the pane keeps it: anything else would make the server refuse the whole log.
      return UUID.test(value) ? value : null;
    },

    async setInsertedTemplate(templateId) {
      const item = currentItem();
      if (!item || !isCompose(item)) throw new Error("a template goes into a draft only");
      // Without session data (before Mailbox 1.11) the template is in the mail all the same; its log goes without
      // the template's id rather than the insert failing.
      if (!Office.context.requirements.isSetSupported("Mailbox", "1.11")) return;
      await promised<void>((cb) => item.sessionData.setAsync(INSERTED_TEMPLATE, templateId, cb));
    },

    onThemeChanged(listener) {
      // OfficeThemeChanged came with Mailbox 1.14; older Outlooks keep the theme the pane opened with.
      if (!Office.context.requirements.isSetSupported("Mailbox", "1.14")) return () => undefined;
      mailbox().addHandlerAsync(Office.EventType.OfficeThemeChanged, () => listener());
      return () => mailbox().removeHandlerAsync(Office.EventType.OfficeThemeChanged);
    },
    prefersDark: () => {
      const theme = Office.context.officeTheme;
      if (!theme?.bodyBackgroundColor) return false;
      const hex = theme.bodyBackgroundColor.replace("#", "");
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return 0.2126 * (r ?? 255) + 0.7152 * (g ?? 255) + 0.0722 * (b ?? 255) < 128;
    },
  };
}
