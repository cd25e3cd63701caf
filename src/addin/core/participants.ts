import { normalizeEmailAddress } from "../../shared/email-address";
import type { Address, OpenAppointment, OpenMessage } from "../office/mailbox";

// Not in office/mailbox.ts: classic Outlook's launchevent.js imports that file, and its ES2016 runtime cannot
// parse the Unicode property escapes of the address rules.

/** Compared in canonical form: Outlook may spell one internationalised address two ways on one message. */
const addressKey = (address: string) => normalizeEmailAddress(address) ?? address.toLowerCase();

/** Everyone on the message but the rep: the sender first, then To and Cc, each address once. */
export function participantsOf(message: OpenMessage, own: string | null): Address[] {
  return distinctBut([...(message.from ? [message.from] : []), ...message.to, ...message.cc], own);
}

/** Everyone at the meeting but the rep: the organiser first, then the required and the optional attendees. */
export function attendeesOf(appointment: OpenAppointment, own: string | null): Address[] {
  const { organizer, requiredAttendees, optionalAttendees } = appointment;
  return distinctBut([...(organizer ? [organizer] : []), ...requiredAttendees, ...optionalAttendees], own);
}

function distinctBut(candidates: Address[], own: string | null): Address[] {
  const seen = new Set<string>(own ? [addressKey(own)] : []);
  const result: Address[] = [];
  for (const candidate of candidates) {
    const key = addressKey(candidate.address);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(candidate);
  }
  return result;
}
