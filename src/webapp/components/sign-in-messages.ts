import { defineMessages } from "../../shared/languages";

/** What shows before anyone is signed in: in the browser's language, as no account has chosen one yet. */
export const signInMessages = defineMessages(
  {
    starting: "Starting Rapport…",
    cannotStart: "Rapport cannot start",
    signingIn: "Signing in…",
    signInFailed: "Sign-in failed",
    entraIntro: "Sign in with your work account to see your day, your pipeline and your team.",
    signInWithMicrosoft: "Sign in with Microsoft 365",
    noWayToSignIn: "This Rapport server has no way to sign in configured.",
    signIn: "Sign in",
    signInTitle: "Sign in to Rapport",
    pasteToken:
      "This server signs in with its local issuer, and this page is not served by `npm start`'s dev server, which mints tokens. Paste a token from `npm run --silent token -- --email you@example.com`, or open the web app from `npm start`.",
    token: "Token",
    localIssuerIntro:
      "This Rapport runs on its local issuer (development and single-machine use): sign in as any address of your organisation.",
    emailAddress: "Email address",
    name: "Name",
    nameHint: "Optional, shown to your colleagues",
  },
  {
    sv: {
      starting: "Startar Rapport…",
      cannotStart: "Rapport kan inte starta",
      signingIn: "Loggar in…",
      signInFailed: "Inloggningen misslyckades",
      entraIntro: "Logga in med ditt jobbkonto för att se din dag, din pipeline och ditt team.",
      signInWithMicrosoft: "Logga in med Microsoft 365",
      noWayToSignIn: "Den här Rapport-servern har inget sätt att logga in konfigurerat.",
      signIn: "Logga in",
      signInTitle: "Logga in i Rapport",
      pasteToken:
        "Den här servern loggar in med sin lokala utfärdare, och sidan kommer inte från utvecklingsservern i `npm start`, som skapar token. Klistra in en token från `npm run --silent token -- --email du@example.com`, eller öppna webbappen från `npm start`.",
      token: "Token",
      localIssuerIntro:
        "Den här Rapport körs med sin lokala utfärdare (för utveckling och användning på en enda dator): logga in som valfri adress i din organisation.",
      emailAddress: "E-postadress",
      name: "Namn",
      nameHint: "Valfritt, visas för dina kollegor",
    },
    de: {
      starting: "Rapport wird gestartet…",
      cannotStart: "Rapport kann nicht starten",
      signingIn: "Anmeldung läuft…",
      signInFailed: "Die Anmeldung ist fehlgeschlagen",
      entraIntro:
        "Melden Sie sich mit Ihrem Geschäftskonto an, um Ihren Tag, Ihre Pipeline und Ihr Team zu sehen.",
      signInWithMicrosoft: "Mit Microsoft 365 anmelden",
      noWayToSignIn: "Auf diesem Rapport-Server ist keine Anmeldemethode eingerichtet.",
      signIn: "Anmelden",
      signInTitle: "Bei Rapport anmelden",
      pasteToken:
        "Dieser Server meldet mit seinem lokalen Aussteller an, und diese Seite kommt nicht vom Entwicklungsserver von `npm start`, der Token ausstellt. Fügen Sie ein Token aus `npm run --silent token -- --email sie@example.com` ein, oder öffnen Sie die Web-App über `npm start`.",
      token: "Token",
      localIssuerIntro:
        "Dieses Rapport läuft mit seinem lokalen Aussteller (für Entwicklung und den Betrieb auf einem einzelnen Rechner): Melden Sie sich mit einer beliebigen Adresse Ihrer Organisation an.",
      emailAddress: "E-Mail-Adresse",
      name: "Name",
      nameHint: "Optional, für Ihre Kolleginnen und Kollegen sichtbar",
    },
    nb: {
      starting: "Starter Rapport…",
      cannotStart: "Rapport kan ikke starte",
      signingIn: "Logger inn…",
      signInFailed: "Påloggingen mislyktes",
      entraIntro: "Logg inn med jobbkontoen din for å se dagen din, pipelinen din og teamet ditt.",
      signInWithMicrosoft: "Logg inn med Microsoft 365",
      noWayToSignIn: "Denne Rapport-serveren har ingen påloggingsmåte konfigurert.",
      signIn: "Logg inn",
      signInTitle: "Logg inn i Rapport",
      pasteToken:
        "Denne serveren logger inn med sin lokale utsteder, og denne siden kommer ikke fra utviklingsserveren i `npm start`, som lager tokener. Lim inn et token fra `npm run --silent token -- --email du@example.com`, eller åpne webappen fra `npm start`.",
      token: "Token",
      localIssuerIntro:
        "Denne Rapport kjører med sin lokale utsteder (for utvikling og bruk på én maskin): logg inn som en hvilken som helst adresse i organisasjonen din.",
      emailAddress: "E-postadresse",
      name: "Navn",
      nameHint: "Valgfritt, vises for kollegaene dine",
    },
    hr: {
      starting: "Pokretanje Rapporta…",
      cannotStart: "Rapport se ne može pokrenuti",
      signingIn: "Prijava u tijeku…",
      signInFailed: "Prijava nije uspjela",
      entraIntro: "Prijavite se poslovnim računom da vidite svoj dan, svoj prodajni tijek i svoj tim.",
      signInWithMicrosoft: "Prijava putem Microsofta 365",
      noWayToSignIn: "Na ovom poslužitelju Rapporta nije postavljen nijedan način prijave.",
      signIn: "Prijava",
      signInTitle: "Prijava u Rapport",
      pasteToken:
        "Ovaj se poslužitelj prijavljuje lokalnim izdavateljem, a ova stranica ne dolazi s razvojnog poslužitelja naredbe `npm start`, koji izdaje tokene. Zalijepite token iz `npm run --silent token -- --email vi@example.com` ili otvorite web-aplikaciju putem `npm start`.",
      token: "Token",
      localIssuerIntro:
        "Ovaj Rapport radi s lokalnim izdavateljem (za razvoj i rad na jednom računalu): prijavite se bilo kojom adresom svoje organizacije.",
      emailAddress: "Adresa e-pošte",
      name: "Ime",
      nameHint: "Neobavezno, vidljivo vašim kolegama",
    },
  },
);
