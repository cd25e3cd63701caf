import { defineMessages } from "../../shared/languages";

/** The pieces every page shares: the notice while nobody is an admin, the export buttons, a chart that failed. */
export const componentMessages = defineMessages(
  {
    noAdminTitle: "Your organisation has no Rapport admin yet",
    noAdminUntil:
      "Until it has one, nobody can change the organisation's settings, turn on mailbox syncing or change people's roles.",
    noAdminAppRole:
      "An administrator of your Microsoft 365 tenant makes someone an admin in the Microsoft Entra admin center: Enterprise applications → Rapport → Users and groups → Add user/group, with the role “{role}”. Whoever runs the Rapport server can instead list them in RAPPORT_ADMINS.",
    noAdminServerList:
      "Whoever runs the Rapport server makes someone an admin by listing them in RAPPORT_ADMINS.",
    noAdminTakesEffect: "It takes effect once that person signs out of Rapport and in again.",
    exportAs: "Export {format}",
    downloaded: "Downloaded {file}",
    exportFailed: "The export failed",
    clearSelection: "Clear selection",
    openChoices: "Show the choices",
    chartFailed:
      "The chart could not be drawn; the table has the same figures. Reload the page to try again.",
  },
  {
    sv: {
      noAdminTitle: "Din organisation har ingen administratör i Rapport än",
      noAdminUntil:
        "Tills den har en kan ingen ändra organisationens inställningar, slå på synkronisering av postlådor eller ändra andras roller.",
      noAdminAppRole:
        "En administratör för er Microsoft 365-klient gör någon till administratör i administrationscentret för Microsoft Entra: Företagsprogram → Rapport → Användare och grupper → Lägg till användare/grupp, med rollen ”{role}”. Den som driver Rapport-servern kan i stället lägga till personen i RAPPORT_ADMINS.",
      noAdminServerList:
        "Den som driver Rapport-servern gör någon till administratör genom att lägga till personen i RAPPORT_ADMINS.",
      noAdminTakesEffect: "Det gäller när personen har loggat ut ur Rapport och in igen.",
      exportAs: "Exportera {format}",
      downloaded: "Hämtade {file}",
      exportFailed: "Exporten misslyckades",
      clearSelection: "Rensa valet",
      openChoices: "Visa alternativen",
      chartFailed:
        "Diagrammet kunde inte ritas; tabellen har samma siffror. Läs in sidan igen för att försöka på nytt.",
    },
    de: {
      noAdminTitle: "Ihre Organisation hat noch keinen Rapport-Administrator",
      noAdminUntil:
        "Bis es einen gibt, kann niemand die Einstellungen der Organisation ändern, die Postfachsynchronisierung einschalten oder Rollen ändern.",
      noAdminAppRole:
        "Ein Administrator Ihres Microsoft 365-Mandanten macht jemanden im Microsoft Entra Admin Center zum Administrator: Unternehmensanwendungen → Rapport → Benutzer und Gruppen → Benutzer/Gruppe hinzufügen, mit der Rolle „{role}“. Wer den Rapport-Server betreibt, kann die Person stattdessen in RAPPORT_ADMINS eintragen.",
      noAdminServerList:
        "Wer den Rapport-Server betreibt, macht jemanden zum Administrator, indem er die Person in RAPPORT_ADMINS einträgt.",
      noAdminTakesEffect: "Das gilt, sobald sich die Person bei Rapport ab- und wieder angemeldet hat.",
      exportAs: "{format} exportieren",
      downloaded: "{file} heruntergeladen",
      exportFailed: "Der Export ist fehlgeschlagen",
      clearSelection: "Auswahl löschen",
      openChoices: "Auswahl anzeigen",
      chartFailed:
        "Das Diagramm konnte nicht gezeichnet werden; die Tabelle enthält dieselben Zahlen. Laden Sie die Seite neu, um es erneut zu versuchen.",
    },
    nb: {
      noAdminTitle: "Organisasjonen din har ingen Rapport-administrator ennå",
      noAdminUntil:
        "Før den har en, kan ingen endre organisasjonens innstillinger, slå på synkronisering av postbokser eller endre andres roller.",
      noAdminAppRole:
        "En administrator for Microsoft 365-leieren deres gjør noen til administrator i Microsoft Entra-administrasjonssenteret: Bedriftsprogrammer → Rapport → Brukere og grupper → Legg til bruker/gruppe, med rollen «{role}». Den som drifter Rapport-serveren, kan i stedet føre personen opp i RAPPORT_ADMINS.",
      noAdminServerList:
        "Den som drifter Rapport-serveren, gjør noen til administrator ved å føre personen opp i RAPPORT_ADMINS.",
      noAdminTakesEffect: "Det trer i kraft når personen har logget ut av Rapport og inn igjen.",
      exportAs: "Eksporter {format}",
      downloaded: "Lastet ned {file}",
      exportFailed: "Eksporten mislyktes",
      clearSelection: "Fjern valget",
      openChoices: "Vis valgene",
      chartFailed:
        "Diagrammet kunne ikke tegnes; tabellen har de samme tallene. Last inn siden på nytt for å prøve igjen.",
    },
    hr: {
      noAdminTitle: "Vaša organizacija još nema administratora Rapporta",
      noAdminUntil:
        "Dok ga nema, nitko ne može mijenjati postavke organizacije, uključiti sinkronizaciju poštanskih sandučića ni mijenjati uloge drugih.",
      noAdminAppRole:
        "Administrator vašeg Microsoft 365 zakupca postavlja nekoga za administratora u centru za administraciju sustava Microsoft Entra: Poslovne aplikacije → Rapport → Korisnici i grupe → Dodaj korisnika/grupu, s ulogom „{role}”. Onaj tko održava poslužitelj Rapporta može ga umjesto toga navesti u RAPPORT_ADMINS.",
      noAdminServerList:
        "Onaj tko održava poslužitelj Rapporta postavlja nekoga za administratora tako da ga navede u RAPPORT_ADMINS.",
      noAdminTakesEffect: "To vrijedi nakon što se ta osoba odjavi iz Rapporta i ponovno prijavi.",
      exportAs: "Izvezi {format}",
      downloaded: "Preuzeto: {file}",
      exportFailed: "Izvoz nije uspio",
      clearSelection: "Poništi odabir",
      openChoices: "Prikaži mogućnosti",
      chartFailed:
        "Grafikon nije moguće nacrtati; tablica sadrži iste brojke. Ponovno učitajte stranicu da biste pokušali ponovno.",
    },
  },
);
