import { defineMessages } from "../../../shared/languages";

/** The Today page's card of today's meetings with customers, each with its contacts' briefs. */
export const meetingMessages = defineMessages(
  {
    title: "Today's meetings ({count})",
    list: "Today's meetings",
    loading: "Loading today's meetings…",
    notLoaded: "Today's meetings could not be loaded",
    none: "No meetings with customers today.",
    cancelled: "Cancelled",
    untitled: "Meeting",
    join: "Join online",
    dealStage: "{deal} · {stage}",
    noDeals: "No open deals",
    lastContact: "Last contact",
    noContact: "Nothing logged yet",
    openTasks: "Open tasks",
    noTasks: "No open tasks",
    due: "due {date}",
    kind_email: "Email",
    kind_call: "Call",
    kind_meeting: "Meeting",
    kind_note: "Note",
    kind_visit: "Visit",
    unread_not_enabled:
      "Your meetings are not read: automatic logging is not on for your mailbox. Ask an admin to turn it on (Settings, Mailbox sync).",
    unread_opted_out:
      "Your meetings are not read: you turned automatic logging off. Turn it on again in the Outlook add-in's settings.",
    unread_not_configured:
      "Your meetings are not read: this Rapport server is not connected to Microsoft 365. Ask an admin to connect it.",
    unread_pending:
      "Your calendar has not been read yet: today's meetings show here after your mailbox's first run, within minutes.",
    unread_no_consent:
      "Your calendar cannot be read: Microsoft 365 refuses it. Ask an admin to grant Rapport Calendars.Read with admin consent; your mail goes on being logged.",
    unread_failing:
      "Your calendar is not being read: your mailbox's sync is failing. An admin sees why under Settings, Mailbox sync.",
  },
  {
    sv: {
      title: "Dagens möten ({count})",
      list: "Dagens möten",
      loading: "Läser in dagens möten…",
      notLoaded: "Dagens möten kunde inte läsas in",
      none: "Inga kundmöten i dag.",
      cancelled: "Inställt",
      untitled: "Möte",
      join: "Anslut online",
      dealStage: "{deal} · {stage}",
      noDeals: "Inga öppna affärer",
      lastContact: "Senaste kontakt",
      noContact: "Inget loggat än",
      openTasks: "Öppna uppgifter",
      noTasks: "Inga öppna uppgifter",
      due: "förfaller {date}",
      kind_email: "Mejl",
      kind_call: "Samtal",
      kind_meeting: "Möte",
      kind_note: "Anteckning",
      kind_visit: "Besök",
      unread_not_enabled:
        "Dina möten läses inte: automatisk loggning är inte på för din postlåda. Be en administratör slå på den (Inställningar, Synkning av postlådor).",
      unread_opted_out:
        "Dina möten läses inte: du har stängt av automatisk loggning. Slå på den igen i Outlook-tilläggets inställningar.",
      unread_not_configured:
        "Dina möten läses inte: den här Rapport-servern är inte ansluten till Microsoft 365. Be en administratör ansluta den.",
      unread_pending:
        "Din kalender har inte lästs än: dagens möten visas här efter postlådans första körning, inom några minuter.",
      unread_no_consent:
        "Din kalender kan inte läsas: Microsoft 365 nekar åtkomst. Be en administratör ge Rapport Calendars.Read med administratörsmedgivande; din e-post fortsätter att loggas.",
      unread_failing:
        "Din kalender läses inte: synkningen av din postlåda misslyckas. En administratör ser varför under Inställningar, Synkning av postlådor.",
    },
    de: {
      title: "Heutige Besprechungen ({count})",
      list: "Heutige Besprechungen",
      loading: "Heutige Besprechungen werden geladen…",
      notLoaded: "Die heutigen Besprechungen konnten nicht geladen werden",
      none: "Heute keine Besprechungen mit Kunden.",
      cancelled: "Abgesagt",
      untitled: "Besprechung",
      join: "Online teilnehmen",
      dealStage: "{deal} · {stage}",
      noDeals: "Keine offenen Deals",
      lastContact: "Letzter Kontakt",
      noContact: "Noch nichts protokolliert",
      openTasks: "Offene Aufgaben",
      noTasks: "Keine offenen Aufgaben",
      due: "fällig am {date}",
      kind_email: "E-Mail",
      kind_call: "Anruf",
      kind_meeting: "Termin",
      kind_note: "Notiz",
      kind_visit: "Besuch",
      unread_not_enabled:
        "Ihre Besprechungen werden nicht gelesen: Die automatische Protokollierung ist für Ihr Postfach nicht eingeschaltet. Bitten Sie einen Admin, sie einzuschalten (Einstellungen, Postfach-Synchronisierung).",
      unread_opted_out:
        "Ihre Besprechungen werden nicht gelesen: Sie haben die automatische Protokollierung ausgeschaltet. Schalten Sie sie in den Einstellungen des Outlook-Add-ins wieder ein.",
      unread_not_configured:
        "Ihre Besprechungen werden nicht gelesen: Dieser Rapport-Server ist nicht mit Microsoft 365 verbunden. Bitten Sie einen Admin, ihn zu verbinden.",
      unread_pending:
        "Ihr Kalender wurde noch nicht gelesen: Die heutigen Besprechungen erscheinen hier nach dem ersten Lauf Ihres Postfachs, binnen Minuten.",
      unread_no_consent:
        "Ihr Kalender kann nicht gelesen werden: Microsoft 365 verweigert ihn. Bitten Sie einen Admin, Rapport Calendars.Read mit Administratorzustimmung zu erteilen; Ihre E-Mails werden weiter protokolliert.",
      unread_failing:
        "Ihr Kalender wird nicht gelesen: Die Synchronisierung Ihres Postfachs schlägt fehl. Ein Admin sieht den Grund unter Einstellungen, Postfach-Synchronisierung.",
    },
    nb: {
      title: "Dagens møter ({count})",
      list: "Dagens møter",
      loading: "Laster inn dagens møter…",
      notLoaded: "Dagens møter kunne ikke lastes inn",
      none: "Ingen kundemøter i dag.",
      cancelled: "Avlyst",
      untitled: "Møte",
      join: "Bli med på nett",
      dealStage: "{deal} · {stage}",
      noDeals: "Ingen åpne salg",
      lastContact: "Siste kontakt",
      noContact: "Ingenting logget ennå",
      openTasks: "Åpne oppgaver",
      noTasks: "Ingen åpne oppgaver",
      due: "forfaller {date}",
      kind_email: "E-post",
      kind_call: "Samtale",
      kind_meeting: "Møte",
      kind_note: "Notat",
      kind_visit: "Besøk",
      unread_not_enabled:
        "Møtene dine leses ikke: automatisk logging er ikke slått på for postkassen din. Be en administrator slå den på (Innstillinger, Synkronisering av postkasser).",
      unread_opted_out:
        "Møtene dine leses ikke: du har slått av automatisk logging. Slå den på igjen i innstillingene til Outlook-tillegget.",
      unread_not_configured:
        "Møtene dine leses ikke: denne Rapport-serveren er ikke koblet til Microsoft 365. Be en administrator koble den til.",
      unread_pending:
        "Kalenderen din er ikke lest ennå: dagens møter vises her etter postkassens første kjøring, innen noen minutter.",
      unread_no_consent:
        "Kalenderen din kan ikke leses: Microsoft 365 nekter tilgang. Be en administrator gi Rapport Calendars.Read med administratorsamtykke; e-posten din logges fortsatt.",
      unread_failing:
        "Kalenderen din leses ikke: synkroniseringen av postkassen din mislykkes. En administrator ser hvorfor under Innstillinger, Synkronisering av postkasser.",
    },
    hr: {
      title: "Današnji sastanci ({count})",
      list: "Današnji sastanci",
      loading: "Učitavanje današnjih sastanaka…",
      notLoaded: "Današnje sastanke nije moguće učitati",
      none: "Danas nema sastanaka s kupcima.",
      cancelled: "Otkazan",
      untitled: "Sastanak",
      join: "Pridruži se online",
      dealStage: "{deal} · {stage}",
      noDeals: "Nema otvorenih poslova",
      lastContact: "Posljednji kontakt",
      noContact: "Još ništa nije zabilježeno",
      openTasks: "Otvoreni zadaci",
      noTasks: "Nema otvorenih zadataka",
      due: "rok {date}",
      kind_email: "E-pošta",
      kind_call: "Poziv",
      kind_meeting: "Sastanak",
      kind_note: "Bilješka",
      kind_visit: "Posjet",
      unread_not_enabled:
        "Vaši se sastanci ne čitaju: automatsko bilježenje nije uključeno za vaš sandučić. Zamolite administratora da ga uključi (Postavke, Sinkronizacija poštanskih sandučića).",
      unread_opted_out:
        "Vaši se sastanci ne čitaju: isključili ste automatsko bilježenje. Ponovno ga uključite u postavkama dodatka za Outlook.",
      unread_not_configured:
        "Vaši se sastanci ne čitaju: ovaj poslužitelj Rapporta nije povezan s Microsoftom 365. Zamolite administratora da ga poveže.",
      unread_pending:
        "Vaš kalendar još nije pročitan: današnji sastanci prikazat će se ovdje nakon prvog pokretanja sandučića, za nekoliko minuta.",
      unread_no_consent:
        "Vaš se kalendar ne može čitati: Microsoft 365 odbija pristup. Zamolite administratora da Rapportu dodijeli Calendars.Read uz administratorski pristanak; vaša se e-pošta i dalje bilježi.",
      unread_failing:
        "Vaš se kalendar ne čita: sinkronizacija vašeg sandučića ne uspijeva. Administrator vidi razlog pod Postavke, Sinkronizacija poštanskih sandučića.",
    },
  },
);
export type MeetingWord = keyof typeof meetingMessages.en;
