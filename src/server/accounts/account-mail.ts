import { type Language, defineMessages, translate } from "../../shared/languages";
import { escapeHtml } from "../web-forms/page";
import type { OutgoingMail } from "../mail/smtp";

const words = defineMessages(
  {
    invitationSubject: "{inviter} invites you to {org} in Rapport",
    invitationIntro:
      "{inviter} has invited you to join {org} in Rapport, the CRM your colleagues use in Outlook.",
    invitationAction: "Choose your password",
    invitationValidity: "The link works once and for {days} days.",
    resetSubject: "A new password for Rapport",
    resetIntro: "Someone asked for a new password for the Rapport account of {email}.",
    resetAction: "Set a new password",
    resetValidity: "The link works once and for {minutes} minutes.",
    notYou: "If you did not expect this message, ignore it: nothing changes until the link is opened.",
  },
  {
    sv: {
      invitationSubject: "{inviter} bjuder in dig till {org} i Rapport",
      invitationIntro:
        "{inviter} har bjudit in dig till {org} i Rapport, CRM-systemet dina kollegor använder i Outlook.",
      invitationAction: "Välj ditt lösenord",
      invitationValidity: "Länken fungerar en gång och i {days} dagar.",
      resetSubject: "Ett nytt lösenord för Rapport",
      resetIntro: "Någon har bett om ett nytt lösenord för Rapport-kontot för {email}.",
      resetAction: "Välj ett nytt lösenord",
      resetValidity: "Länken fungerar en gång och i {minutes} minuter.",
      notYou:
        "Om du inte väntade dig det här meddelandet kan du bortse från det: inget ändras förrän länken öppnas.",
    },
    de: {
      invitationSubject: "{inviter} lädt Sie zu {org} in Rapport ein",
      invitationIntro:
        "{inviter} hat Sie zu {org} in Rapport eingeladen, dem CRM, das Ihre Kolleginnen und Kollegen in Outlook nutzen.",
      invitationAction: "Passwort festlegen",
      invitationValidity: "Der Link funktioniert einmal und {days} Tage lang.",
      resetSubject: "Ein neues Passwort für Rapport",
      resetIntro: "Jemand hat ein neues Passwort für das Rapport-Konto von {email} angefordert.",
      resetAction: "Neues Passwort festlegen",
      resetValidity: "Der Link funktioniert einmal und {minutes} Minuten lang.",
      notYou:
        "Wenn Sie diese Nachricht nicht erwartet haben, ignorieren Sie sie: Es ändert sich nichts, solange der Link nicht geöffnet wird.",
    },
    nb: {
      invitationSubject: "{inviter} inviterer deg til {org} i Rapport",
      invitationIntro:
        "{inviter} har invitert deg til {org} i Rapport, CRM-systemet kollegene dine bruker i Outlook.",
      invitationAction: "Velg passordet ditt",
      invitationValidity: "Lenken virker én gang og i {days} dager.",
      resetSubject: "Et nytt passord for Rapport",
      resetIntro: "Noen har bedt om et nytt passord for Rapport-kontoen til {email}.",
      resetAction: "Velg et nytt passord",
      resetValidity: "Lenken virker én gang og i {minutes} minutter.",
      notYou:
        "Hvis du ikke ventet denne meldingen, kan du se bort fra den: ingenting endres før lenken åpnes.",
    },
    hr: {
      invitationSubject: "{inviter} vas poziva u {org} u Rapportu",
      invitationIntro:
        "{inviter} vas je pozvao da se pridružite organizaciji {org} u Rapportu, CRM-u koji vaši kolege koriste u Outlooku.",
      invitationAction: "Odaberite lozinku",
      invitationValidity: "Poveznica vrijedi jednom i {days} dana.",
      resetSubject: "Nova lozinka za Rapport",
      resetIntro: "Netko je zatražio novu lozinku za Rapport račun adrese {email}.",
      resetAction: "Postavite novu lozinku",
      resetValidity: "Poveznica vrijedi jednom i {minutes} minuta.",
      notYou:
        "Ako niste očekivali ovu poruku, zanemarite je: ništa se ne mijenja dok se poveznica ne otvori.",
    },
  },
);

/** Plain text and HTML from the same sentences: every value escaped in the HTML, the link its only anchor. */
function compose(
  language: Language,
  to: string,
  subject: string,
  paragraphs: { intro: string; action: string; validity: string },
  link: string,
): OutgoingMail {
  const notYou = words[language].notYou;
  const text = [
    paragraphs.intro,
    "",
    `${paragraphs.action}: ${link}`,
    "",
    paragraphs.validity,
    notYou,
    "",
  ].join("\n");
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family: sans-serif">`,
    `<p>${escapeHtml(paragraphs.intro)}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(paragraphs.action)}</a></p>`,
    `<p>${escapeHtml(paragraphs.validity)}</p>`,
    `<p>${escapeHtml(notYou)}</p>`,
    "</body></html>",
  ].join("\n");
  return { to, subject, text, html };
}

export function invitationMail(
  language: Language,
  invitation: { to: string; inviter: string; organization: string; days: number; link: string },
): OutgoingMail {
  const w = words[language];
  const values = { inviter: invitation.inviter, org: invitation.organization, days: invitation.days };
  return compose(
    language,
    invitation.to,
    translate(w.invitationSubject, values),
    {
      intro: translate(w.invitationIntro, values),
      action: w.invitationAction,
      validity: translate(w.invitationValidity, values),
    },
    invitation.link,
  );
}

export function passwordResetMail(
  language: Language,
  reset: { to: string; minutes: number; link: string },
): OutgoingMail {
  const w = words[language];
  return compose(
    language,
    reset.to,
    w.resetSubject,
    {
      intro: translate(w.resetIntro, { email: reset.to }),
      action: w.resetAction,
      validity: translate(w.resetValidity, { minutes: reset.minutes }),
    },
    reset.link,
  );
}
