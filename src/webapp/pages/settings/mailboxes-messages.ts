import { defineMessages } from "../../../shared/languages";

/**
 * The settings' mailbox sync: each mailbox's mail, its calendar's meetings and its change notifications (instant
 * sync), in words, with what to do when one is not read.
 */
export const mailboxesMessages = defineMessages(
  {
    title: "Mailbox sync",
    intro:
      "Rapport reads each synced mailbox through Microsoft Graph: its mail, and its calendar's meetings with contacts.",
    loading: "Loading the mailboxes…",
    notLoaded: "The mailboxes could not be loaded",
    notConfigured:
      "This server has no Microsoft Graph credentials, so no mailbox is synced: the deployment guide says how to connect it.",
    none: "No mailboxes yet.",
    list: "Mailboxes",
    mail: "Mail",
    meetings: "Meetings",
    notifications: "Instant sync",
    status_not_enabled: "Not synced: an admin turns it on, or syncs every mailbox.",
    status_opted_out: "Not synced: its owner turned automatic logging off.",
    status_pending: "On, not read yet.",
    status_ok: "Read {date}.",
    status_okNever: "Read.",
    status_backing_off: "Microsoft Graph asked to wait; next try {date}.",
    status_failing: "Failing; next try {date}.",
    status_not_configured: "Not synced: the server has no Microsoft Graph credentials.",
    calendar_off: "Not read while the mailbox is not synced.",
    calendar_pending: "Not read yet: at the mailbox's next run.",
    calendar_synced: "Read {date}.",
    calendar_no_consent:
      "Not read: Microsoft Graph refuses the calendar. An admin grants the app Calendars.Read with admin consent; mail goes on being logged.",
    calendar_failing: "Not read: the mailbox's runs fail.",
    calendarLastRead: "Last read {date}.",
    notifications_not_configured:
      "Off: the server has no notification URL (RAPPORT_GRAPH_NOTIFICATION_URL), so mail and meetings are read every {seconds} seconds.",
    notifications_mailbox_off: "Off while the mailbox is not synced.",
    notifications_pending: "Subscribed at the mailbox's next run.",
    notifications_active: "On until {date}, renewed before then.",
    notifications_no_calendar_consent:
      "Failing for meetings: their subscription needs Calendars.Read too. New mail still comes at once.",
    notifications_mailbox_failing: "Failing: kept only by the mailbox's runs, which fail.",
    notifications_not_made:
      "Failing: Microsoft Graph did not accept the subscription. Check that Graph can reach the notification URL over https; the server's log has Graph's answer. Mail and meetings are read every {seconds} seconds meanwhile.",
    error: "Error: {error}",
  },
  {
    sv: {
      title: "Synkning av postlådor",
      intro:
        "Rapport läser varje synkad postlåda genom Microsoft Graph: dess e-post och kalenderns möten med kontakter.",
      loading: "Läser in postlådorna…",
      notLoaded: "Postlådorna kunde inte läsas in",
      notConfigured:
        "Servern saknar inloggningsuppgifter för Microsoft Graph, så ingen postlåda synkas: driftsättningsguiden beskriver hur den ansluts.",
      none: "Inga postlådor än.",
      list: "Postlådor",
      mail: "E-post",
      meetings: "Möten",
      notifications: "Direktsynk",
      status_not_enabled: "Synkas inte: en administratör slår på den, eller synkar alla postlådor.",
      status_opted_out: "Synkas inte: ägaren har stängt av automatisk loggning.",
      status_pending: "På, inte läst än.",
      status_ok: "Läst {date}.",
      status_okNever: "Läst.",
      status_backing_off: "Microsoft Graph bad oss vänta; nästa försök {date}.",
      status_failing: "Misslyckas; nästa försök {date}.",
      status_not_configured: "Synkas inte: servern saknar inloggningsuppgifter för Microsoft Graph.",
      calendar_off: "Läses inte medan postlådan inte synkas.",
      calendar_pending: "Inte läst än: vid postlådans nästa körning.",
      calendar_synced: "Läst {date}.",
      calendar_no_consent:
        "Läses inte: Microsoft Graph nekar åtkomst till kalendern. En administratör ger appen Calendars.Read med administratörsmedgivande; e-posten fortsätter att loggas.",
      calendar_failing: "Läses inte: postlådans körningar misslyckas.",
      calendarLastRead: "Senast läst {date}.",
      notifications_not_configured:
        "Av: servern har ingen aviserings-URL (RAPPORT_GRAPH_NOTIFICATION_URL), så e-post och möten läses var {seconds}:e sekund.",
      notifications_mailbox_off: "Av medan postlådan inte synkas.",
      notifications_pending: "Prenumereras vid postlådans nästa körning.",
      notifications_active: "På till {date}, förnyas innan dess.",
      notifications_no_calendar_consent:
        "Misslyckas för möten: deras prenumeration kräver också Calendars.Read. Ny e-post kommer fortfarande direkt.",
      notifications_mailbox_failing:
        "Misslyckas: hålls bara vid liv av postlådans körningar, som misslyckas.",
      notifications_not_made:
        "Misslyckas: Microsoft Graph godtog inte prenumerationen. Kontrollera att Graph når aviserings-URL:en över https; serverns logg har Graphs svar. Under tiden läses e-post och möten var {seconds}:e sekund.",
      error: "Fel: {error}",
    },
    hr: {
      title: "Sinkronizacija poštanskih sandučića",
      intro:
        "Rapport čita svaki sinkronizirani sandučić putem Microsoft Grapha: njegovu e-poštu i sastanke s kontaktima iz kalendara.",
      loading: "Učitavanje sandučića…",
      notLoaded: "Sandučići se nisu mogli učitati",
      notConfigured:
        "Poslužitelj nema vjerodajnice za Microsoft Graph pa se nijedan sandučić ne sinkronizira: vodič za postavljanje opisuje kako ga povezati.",
      none: "Još nema sandučića.",
      list: "Sandučići",
      mail: "E-pošta",
      meetings: "Sastanci",
      notifications: "Trenutačna sinkronizacija",
      status_not_enabled: "Ne sinkronizira se: administrator ga uključuje ili sinkronizira sve sandučiće.",
      status_opted_out: "Ne sinkronizira se: vlasnik je isključio automatsko bilježenje.",
      status_pending: "Uključen, još nije pročitan.",
      status_ok: "Pročitano {date}.",
      status_okNever: "Pročitano.",
      status_backing_off: "Microsoft Graph je zatražio čekanje; sljedeći pokušaj {date}.",
      status_failing: "Ne uspijeva; sljedeći pokušaj {date}.",
      status_not_configured: "Ne sinkronizira se: poslužitelj nema vjerodajnice za Microsoft Graph.",
      calendar_off: "Ne čita se dok se sandučić ne sinkronizira.",
      calendar_pending: "Još nije pročitan: pri sljedećem pokretanju sandučića.",
      calendar_synced: "Pročitano {date}.",
      calendar_no_consent:
        "Ne čita se: Microsoft Graph odbija pristup kalendaru. Administrator aplikaciji dodjeljuje Calendars.Read uz administratorski pristanak; e-pošta se i dalje bilježi.",
      calendar_failing: "Ne čita se: pokretanja sandučića ne uspijevaju.",
      calendarLastRead: "Zadnje čitanje {date}.",
      notifications_not_configured:
        "Isključeno: poslužitelj nema URL za obavijesti (RAPPORT_GRAPH_NOTIFICATION_URL) pa se e-pošta i sastanci čitaju svakih {seconds} s.",
      notifications_mailbox_off: "Isključeno dok se sandučić ne sinkronizira.",
      notifications_pending: "Pretplata pri sljedećem pokretanju sandučića.",
      notifications_active: "Uključeno do {date}, obnavlja se prije toga.",
      notifications_no_calendar_consent:
        "Ne uspijeva za sastanke: i njihova pretplata traži Calendars.Read. Nova e-pošta i dalje stiže odmah.",
      notifications_mailbox_failing:
        "Ne uspijeva: održavaju je samo pokretanja sandučića, a ona ne uspijevaju.",
      notifications_not_made:
        "Ne uspijeva: Microsoft Graph nije prihvatio pretplatu. Provjerite može li Graph doći do URL-a za obavijesti preko https-a; zapisnik poslužitelja sadrži Graphov odgovor. U međuvremenu se e-pošta i sastanci čitaju svakih {seconds} s.",
      error: "Pogreška: {error}",
    },
    de: {
      title: "Postfach-Synchronisierung",
      intro:
        "Rapport liest jedes synchronisierte Postfach über Microsoft Graph: seine E-Mails und die Besprechungen mit Kontakten aus seinem Kalender.",
      loading: "Postfächer werden geladen…",
      notLoaded: "Die Postfächer konnten nicht geladen werden",
      notConfigured:
        "Dieser Server hat keine Anmeldedaten für Microsoft Graph, daher wird kein Postfach synchronisiert: Die Bereitstellungsanleitung beschreibt, wie er verbunden wird.",
      none: "Noch keine Postfächer.",
      list: "Postfächer",
      mail: "E-Mail",
      meetings: "Besprechungen",
      notifications: "Sofort-Synchronisierung",
      status_not_enabled:
        "Nicht synchronisiert: Ein Admin schaltet es ein oder synchronisiert alle Postfächer.",
      status_opted_out:
        "Nicht synchronisiert: Der Inhaber hat die automatische Protokollierung ausgeschaltet.",
      status_pending: "Eingeschaltet, noch nicht gelesen.",
      status_ok: "Gelesen {date}.",
      status_okNever: "Gelesen.",
      status_backing_off: "Microsoft Graph bat zu warten; nächster Versuch {date}.",
      status_failing: "Schlägt fehl; nächster Versuch {date}.",
      status_not_configured: "Nicht synchronisiert: Der Server hat keine Anmeldedaten für Microsoft Graph.",
      calendar_off: "Nicht gelesen, solange das Postfach nicht synchronisiert wird.",
      calendar_pending: "Noch nicht gelesen: beim nächsten Lauf des Postfachs.",
      calendar_synced: "Gelesen {date}.",
      calendar_no_consent:
        "Nicht gelesen: Microsoft Graph verweigert den Kalender. Ein Admin erteilt der App Calendars.Read mit Administratorzustimmung; E-Mails werden weiter protokolliert.",
      calendar_failing: "Nicht gelesen: Die Läufe des Postfachs schlagen fehl.",
      calendarLastRead: "Zuletzt gelesen {date}.",
      notifications_not_configured:
        "Aus: Der Server hat keine Benachrichtigungs-URL (RAPPORT_GRAPH_NOTIFICATION_URL), daher werden E-Mails und Besprechungen alle {seconds} Sekunden gelesen.",
      notifications_mailbox_off: "Aus, solange das Postfach nicht synchronisiert wird.",
      notifications_pending: "Abonniert beim nächsten Lauf des Postfachs.",
      notifications_active: "Ein bis {date}, vorher erneuert.",
      notifications_no_calendar_consent:
        "Schlägt für Besprechungen fehl: Ihr Abonnement braucht ebenfalls Calendars.Read. Neue E-Mails kommen weiterhin sofort.",
      notifications_mailbox_failing:
        "Schlägt fehl: Es wird nur von den Läufen des Postfachs erhalten, und diese schlagen fehl.",
      notifications_not_made:
        "Schlägt fehl: Microsoft Graph hat das Abonnement nicht angenommen. Prüfen Sie, ob Graph die Benachrichtigungs-URL über https erreicht; das Protokoll des Servers enthält die Antwort von Graph. Bis dahin werden E-Mails und Besprechungen alle {seconds} Sekunden gelesen.",
      error: "Fehler: {error}",
    },
    nb: {
      title: "Synkronisering av postkasser",
      intro:
        "Rapport leser hver synkroniserte postkasse gjennom Microsoft Graph: e-posten og kalenderens møter med kontakter.",
      loading: "Laster inn postkassene…",
      notLoaded: "Postkassene kunne ikke lastes inn",
      notConfigured:
        "Serveren har ingen påloggingsopplysninger for Microsoft Graph, så ingen postkasse synkroniseres: utrullingsveiledningen forklarer hvordan den kobles til.",
      none: "Ingen postkasser ennå.",
      list: "Postkasser",
      mail: "E-post",
      meetings: "Møter",
      notifications: "Øyeblikkelig synkronisering",
      status_not_enabled:
        "Synkroniseres ikke: en administrator slår den på, eller synkroniserer alle postkasser.",
      status_opted_out: "Synkroniseres ikke: eieren har slått av automatisk logging.",
      status_pending: "På, ikke lest ennå.",
      status_ok: "Lest {date}.",
      status_okNever: "Lest.",
      status_backing_off: "Microsoft Graph ba oss vente; neste forsøk {date}.",
      status_failing: "Mislykkes; neste forsøk {date}.",
      status_not_configured:
        "Synkroniseres ikke: serveren har ingen påloggingsopplysninger for Microsoft Graph.",
      calendar_off: "Leses ikke mens postkassen ikke synkroniseres.",
      calendar_pending: "Ikke lest ennå: ved postkassens neste kjøring.",
      calendar_synced: "Lest {date}.",
      calendar_no_consent:
        "Leses ikke: Microsoft Graph nekter tilgang til kalenderen. En administrator gir appen Calendars.Read med administratorsamtykke; e-posten logges fortsatt.",
      calendar_failing: "Leses ikke: postkassens kjøringer mislykkes.",
      calendarLastRead: "Sist lest {date}.",
      notifications_not_configured:
        "Av: serveren har ingen varslings-URL (RAPPORT_GRAPH_NOTIFICATION_URL), så e-post og møter leses hvert {seconds}. sekund.",
      notifications_mailbox_off: "Av mens postkassen ikke synkroniseres.",
      notifications_pending: "Abonneres ved postkassens neste kjøring.",
      notifications_active: "På til {date}, fornyes før det.",
      notifications_no_calendar_consent:
        "Mislykkes for møter: abonnementet deres krever også Calendars.Read. Ny e-post kommer fortsatt med en gang.",
      notifications_mailbox_failing:
        "Mislykkes: holdes bare ved like av postkassens kjøringer, som mislykkes.",
      notifications_not_made:
        "Mislykkes: Microsoft Graph godtok ikke abonnementet. Sjekk at Graph når varslings-URL-en over https; serverens logg har Graphs svar. I mellomtiden leses e-post og møter hvert {seconds}. sekund.",
      error: "Feil: {error}",
    },
  },
);

export type MailboxesWord = keyof (typeof mailboxesMessages)["en"];
