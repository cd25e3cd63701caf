import { ApiError } from "../../client/problems";
import type { ErrorCode } from "../../shared/errors";
import { type Catalogue, type Language, defineMessages, translate } from "../../shared/languages";
import { useLanguage } from "../i18n/language";

/**
 * What a failure says, in the reader's language. The server answers every error with a stable `code` and an
 * English `detail`: the code chooses the sentence here, and the detail is shown beside it as "details" for
 * whoever reads English (and for whoever they ask for help).
 */
export const problemMessages = defineMessages(
  {
    failedWith: "{what}: {reason}",
    details: "Details: {details}",
    tryAgain: "Try again",
    unreachable: "Rapport cannot be reached. Check your connection, then try again.",
    unexpectedResponse:
      "Rapport gave an answer this page does not understand. Reload the page, then try again.",
    unexpected: "Something went wrong on this page. Reload it, then try again.",
    invalidRequest: "Rapport did not accept what was sent. Check what you entered, then try again.",
    invalidFields: "Some of what you entered is not valid. Correct it, then try again.",
    unreadableRequest: "Rapport could not read what this page sent. Reload the page, then try again.",
    tooLarge: "That is more than Rapport takes at once. Send something smaller.",
    signInAgain: "Your sign-in has run out. Sign in again.",
    missingConsent:
      "Rapport lacks a permission it needs for this. Sign out, sign in again and accept the permissions it asks for.",
    signInUnavailable: "Signing in is not possible right now. Try again in a moment.",
    personalAccount: "Rapport is for work and school accounts: a personal Microsoft account cannot sign in.",
    invalidCredentials: "The email address or the password is not right.",
    accountDeactivated: "An admin of your organisation has ended your access to Rapport.",
    microsoft365Only:
      "Your organisation signs in to Rapport with Microsoft 365 only: use “Sign in with Microsoft”.",
    weakPassword: "Choose a longer password that is not a common one: at least 12 characters.",
    linkInvalid:
      "This link no longer works: it has been used, has run out or was withdrawn. Ask for a new one.",
    accountExists: "That email address already has a Rapport account.",
    forbidden: "You do not have permission to do this.",
    notFound: "It is no longer there: someone may have deleted it.",
    changedMeanwhile: "Someone changed this meanwhile. Reload to see their change, then try again.",
    alreadyExists: "This has been saved already.",
    emailTaken: "That email address already belongs to another contact.",
    domainTaken: "That domain already belongs to another company.",
    mergedAway: "This record was merged into another one.",
    productCodeTaken: "Another product already has that code.",
    stageGone: "That stage no longer exists. Reload the page and choose another.",
    stageHasDeals: "The stage still has deals. Move them to another stage first.",
    pipelineHasDeals: "The pipeline still has deals. Choose where they go.",
    stageKindsRequired: "A pipeline keeps at least one open, one won and one lost stage.",
    defaultPipeline: "New deals start in the default pipeline: make another pipeline the default first.",
    customFieldKeyTaken: "Another custom field already has that key.",
    customFieldInUse: "Records still hold a choice being taken away: change them first.",
    lastAdmin: "This is the organisation's only admin: make someone else an admin first.",
    roleGrantedAtSignIn:
      "This person is an admin through their sign-in (Microsoft Entra or the server's list), so it cannot be changed here.",
    baseCurrencyChanged: "The base currency was changed meanwhile. Reload the page, then try again.",
    exportTooLarge: "Too many rows match to export at once. Narrow the filters, then export again.",
    importRowsInvalid:
      "Some rows of the file cannot be imported, so nothing was imported. Correct them, then try again.",
    noContact:
      "No one outside your organisation at this meeting is a contact in Rapport. Add one as a contact, then log it.",
    notLoggedByPolicy:
      "Your organisation's privacy rules keep this email out of Rapport's automatic logging.",
    busy: "Rapport is busy or restarting. Try again in a moment.",
    rateLimited: "Too many requests in a short time. Wait a moment, then try again.",
    serverError:
      "Something went wrong on the Rapport server. Try again; if it keeps happening, tell whoever runs Rapport.",
  },
  {
    sv: {
      failedWith: "{what}: {reason}",
      details: "Detaljer: {details}",
      tryAgain: "Försök igen",
      unreachable: "Rapport går inte att nå. Kontrollera anslutningen och försök sedan igen.",
      unexpectedResponse:
        "Rapport gav ett svar som den här sidan inte förstår. Läs in sidan igen och försök på nytt.",
      unexpected: "Något gick fel på den här sidan. Läs in den igen och försök på nytt.",
      invalidRequest: "Rapport godtog inte det som skickades. Kontrollera det du angav och försök igen.",
      invalidFields: "En del av det du angav är inte giltigt. Rätta det och försök igen.",
      unreadableRequest:
        "Rapport kunde inte läsa det som sidan skickade. Läs in sidan igen och försök på nytt.",
      tooLarge: "Det är mer än Rapport tar emot på en gång. Skicka något mindre.",
      signInAgain: "Din inloggning har gått ut. Logga in igen.",
      missingConsent:
        "Rapport saknar en behörighet som behövs för detta. Logga ut, logga in igen och godkänn behörigheterna som efterfrågas.",
      signInUnavailable: "Det går inte att logga in just nu. Försök igen om en stund.",
      personalAccount:
        "Rapport är till för jobb- och skolkonton: ett personligt Microsoft-konto kan inte logga in.",
      invalidCredentials: "E-postadressen eller lösenordet stämmer inte.",
      accountDeactivated: "En administratör i din organisation har stängt av din åtkomst till Rapport.",
      microsoft365Only:
        "Din organisation loggar bara in i Rapport med Microsoft 365: använd ”Logga in med Microsoft”.",
      weakPassword: "Välj ett längre lösenord som inte är vanligt: minst 12 tecken.",
      linkInvalid:
        "Länken fungerar inte längre: den har använts, har gått ut eller har dragits tillbaka. Be om en ny.",
      accountExists: "Den e-postadressen har redan ett konto i Rapport.",
      forbidden: "Du har inte behörighet att göra detta.",
      notFound: "Det finns inte längre: någon kan ha tagit bort det.",
      changedMeanwhile:
        "Någon har ändrat detta under tiden. Läs in igen för att se ändringen och försök sedan på nytt.",
      alreadyExists: "Detta är redan sparat.",
      emailTaken: "Den e-postadressen tillhör redan en annan kontakt.",
      domainTaken: "Den domänen tillhör redan ett annat företag.",
      mergedAway: "Posten har slagits ihop med en annan.",
      productCodeTaken: "En annan produkt har redan den koden.",
      stageGone: "Det steget finns inte längre. Läs in sidan igen och välj ett annat.",
      stageHasDeals: "Steget har fortfarande affärer. Flytta dem till ett annat steg först.",
      pipelineHasDeals: "Pipelinen har fortfarande affärer. Välj vart de ska flyttas.",
      stageKindsRequired: "En pipeline behåller minst ett öppet, ett vunnet och ett förlorat steg.",
      defaultPipeline: "Nya affärer börjar i standardpipelinen: gör en annan pipeline till standard först.",
      customFieldKeyTaken: "Ett annat anpassat fält har redan den nyckeln.",
      customFieldInUse: "Det finns poster som har ett val som tas bort: ändra dem först.",
      lastAdmin: "Det här är organisationens enda administratör: gör någon annan till administratör först.",
      roleGrantedAtSignIn:
        "Den här personen är administratör genom sin inloggning (Microsoft Entra eller serverns lista), så det kan inte ändras här.",
      baseCurrencyChanged: "Basvalutan har ändrats under tiden. Läs in sidan igen och försök på nytt.",
      exportTooLarge:
        "För många rader matchar för att exporteras på en gång. Begränsa filtren och exportera igen.",
      importRowsInvalid:
        "Några rader i filen kan inte importeras, så ingenting importerades. Rätta dem och försök igen.",
      noContact:
        "Ingen utanför organisationen på det här mötet är en kontakt i Rapport. Lägg till någon som kontakt och logga det sedan.",
      notLoggedByPolicy:
        "Organisationens integritetsregler håller det här mejlet utanför Rapports automatiska loggning.",
      busy: "Rapport är upptaget eller startar om. Försök igen om en stund.",
      rateLimited: "För många förfrågningar på kort tid. Vänta en stund och försök sedan igen.",
      serverError:
        "Något gick fel på Rapport-servern. Försök igen; om det fortsätter, kontakta den som driver Rapport.",
    },
    de: {
      failedWith: "{what}: {reason}",
      details: "Details: {details}",
      tryAgain: "Erneut versuchen",
      unreachable:
        "Rapport ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es dann erneut.",
      unexpectedResponse:
        "Rapport hat eine Antwort gegeben, die diese Seite nicht versteht. Laden Sie die Seite neu und versuchen Sie es erneut.",
      unexpected: "Auf dieser Seite ist etwas schiefgelaufen. Laden Sie sie neu und versuchen Sie es erneut.",
      invalidRequest:
        "Rapport hat das Gesendete nicht angenommen. Prüfen Sie Ihre Eingaben und versuchen Sie es erneut.",
      invalidFields: "Einige Ihrer Eingaben sind ungültig. Korrigieren Sie sie und versuchen Sie es erneut.",
      unreadableRequest:
        "Rapport konnte nicht lesen, was diese Seite gesendet hat. Laden Sie die Seite neu und versuchen Sie es erneut.",
      tooLarge: "Das ist mehr, als Rapport auf einmal annimmt. Senden Sie etwas Kleineres.",
      signInAgain: "Ihre Anmeldung ist abgelaufen. Melden Sie sich erneut an.",
      missingConsent:
        "Rapport fehlt dafür eine Berechtigung. Melden Sie sich ab, wieder an und stimmen Sie den angefragten Berechtigungen zu.",
      signInUnavailable: "Die Anmeldung ist gerade nicht möglich. Versuchen Sie es gleich noch einmal.",
      personalAccount:
        "Rapport ist für Geschäfts- und Schulkonten gedacht: Mit einem persönlichen Microsoft-Konto ist keine Anmeldung möglich.",
      invalidCredentials: "Die E-Mail-Adresse oder das Passwort stimmt nicht.",
      accountDeactivated: "Ein Administrator Ihrer Organisation hat Ihren Zugang zu Rapport beendet.",
      microsoft365Only:
        "Ihre Organisation meldet sich bei Rapport nur mit Microsoft 365 an: Nutzen Sie „Mit Microsoft anmelden“.",
      weakPassword: "Wählen Sie ein längeres Passwort, das nicht verbreitet ist: mindestens 12 Zeichen.",
      linkInvalid:
        "Dieser Link funktioniert nicht mehr: Er wurde benutzt, ist abgelaufen oder wurde zurückgezogen. Fordern Sie einen neuen an.",
      accountExists: "Diese E-Mail-Adresse hat bereits ein Rapport-Konto.",
      forbidden: "Dazu fehlt Ihnen die Berechtigung.",
      notFound: "Das gibt es nicht mehr: Möglicherweise hat es jemand gelöscht.",
      changedMeanwhile:
        "Jemand hat dies inzwischen geändert. Laden Sie neu, um die Änderung zu sehen, und versuchen Sie es dann erneut.",
      alreadyExists: "Dies wurde bereits gespeichert.",
      emailTaken: "Diese E-Mail-Adresse gehört bereits zu einem anderen Kontakt.",
      domainTaken: "Diese Domain gehört bereits zu einem anderen Unternehmen.",
      mergedAway: "Dieser Datensatz wurde mit einem anderen zusammengeführt.",
      productCodeTaken: "Ein anderes Produkt hat diesen Code bereits.",
      stageGone: "Diese Phase gibt es nicht mehr. Laden Sie die Seite neu und wählen Sie eine andere.",
      stageHasDeals: "Die Phase enthält noch Deals. Verschieben Sie sie zuerst in eine andere Phase.",
      pipelineHasDeals: "Die Pipeline enthält noch Deals. Wählen Sie, wohin sie verschoben werden.",
      stageKindsRequired:
        "Eine Pipeline behält mindestens eine offene, eine gewonnene und eine verlorene Phase.",
      defaultPipeline:
        "Neue Deals beginnen in der Standard-Pipeline: Machen Sie zuerst eine andere Pipeline zum Standard.",
      customFieldKeyTaken: "Ein anderes benutzerdefiniertes Feld hat diesen Schlüssel bereits.",
      customFieldInUse:
        "Es gibt noch Datensätze mit einer Auswahl, die entfernt wird: Ändern Sie diese zuerst.",
      lastAdmin:
        "Dies ist der einzige Administrator der Organisation: Machen Sie zuerst jemand anderen zum Administrator.",
      roleGrantedAtSignIn:
        "Diese Person ist über ihre Anmeldung Administrator (Microsoft Entra oder die Liste des Servers); das lässt sich hier nicht ändern.",
      baseCurrencyChanged:
        "Die Basiswährung wurde inzwischen geändert. Laden Sie die Seite neu und versuchen Sie es erneut.",
      exportTooLarge:
        "Zu viele Zeilen passen, um sie auf einmal zu exportieren. Grenzen Sie die Filter ein und exportieren Sie erneut.",
      importRowsInvalid:
        "Einige Zeilen der Datei können nicht importiert werden, daher wurde nichts importiert. Korrigieren Sie sie und versuchen Sie es erneut.",
      noContact:
        "Niemand außerhalb Ihrer Organisation bei diesem Termin ist ein Kontakt in Rapport. Legen Sie einen Kontakt an und protokollieren Sie ihn dann.",
      notLoggedByPolicy:
        "Die Datenschutzregeln Ihrer Organisation schließen diese E-Mail von der automatischen Protokollierung in Rapport aus.",
      busy: "Rapport ist ausgelastet oder startet neu. Versuchen Sie es gleich noch einmal.",
      rateLimited:
        "Zu viele Anfragen in kurzer Zeit. Warten Sie einen Moment und versuchen Sie es dann erneut.",
      serverError:
        "Auf dem Rapport-Server ist etwas schiefgelaufen. Versuchen Sie es erneut; wenn es wieder passiert, wenden Sie sich an die Betreiber von Rapport.",
    },
    nb: {
      failedWith: "{what}: {reason}",
      details: "Detaljer: {details}",
      tryAgain: "Prøv igjen",
      unreachable: "Rapport kan ikke nås. Sjekk tilkoblingen, og prøv igjen.",
      unexpectedResponse:
        "Rapport ga et svar denne siden ikke forstår. Last inn siden på nytt, og prøv igjen.",
      unexpected: "Noe gikk galt på denne siden. Last den inn på nytt, og prøv igjen.",
      invalidRequest: "Rapport godtok ikke det som ble sendt. Sjekk det du skrev inn, og prøv igjen.",
      invalidFields: "Noe av det du skrev inn, er ikke gyldig. Rett det, og prøv igjen.",
      unreadableRequest:
        "Rapport kunne ikke lese det denne siden sendte. Last inn siden på nytt, og prøv igjen.",
      tooLarge: "Det er mer enn Rapport tar imot på én gang. Send noe mindre.",
      signInAgain: "Påloggingen din har utløpt. Logg inn på nytt.",
      missingConsent:
        "Rapport mangler en tillatelse som trengs for dette. Logg ut, logg inn igjen og godta tillatelsene det bes om.",
      signInUnavailable: "Det er ikke mulig å logge inn akkurat nå. Prøv igjen om litt.",
      personalAccount:
        "Rapport er for jobb- og skolekontoer: en personlig Microsoft-konto kan ikke logge inn.",
      invalidCredentials: "E-postadressen eller passordet stemmer ikke.",
      accountDeactivated: "En administrator i organisasjonen din har avsluttet tilgangen din til Rapport.",
      microsoft365Only:
        "Organisasjonen din logger bare inn i Rapport med Microsoft 365: bruk «Logg inn med Microsoft».",
      weakPassword: "Velg et lengre passord som ikke er vanlig: minst 12 tegn.",
      linkInvalid: "Lenken virker ikke lenger: den er brukt, utløpt eller trukket tilbake. Be om en ny.",
      accountExists: "Den e-postadressen har allerede en Rapport-konto.",
      forbidden: "Du har ikke tillatelse til å gjøre dette.",
      notFound: "Det finnes ikke lenger: noen kan ha slettet det.",
      changedMeanwhile:
        "Noen har endret dette i mellomtiden. Last inn på nytt for å se endringen, og prøv igjen.",
      alreadyExists: "Dette er allerede lagret.",
      emailTaken: "Den e-postadressen tilhører allerede en annen kontakt.",
      domainTaken: "Det domenet tilhører allerede et annet firma.",
      mergedAway: "Denne posten er slått sammen med en annen.",
      productCodeTaken: "Et annet produkt har allerede den koden.",
      stageGone: "Det trinnet finnes ikke lenger. Last inn siden på nytt, og velg et annet.",
      stageHasDeals: "Trinnet har fortsatt avtaler. Flytt dem til et annet trinn først.",
      pipelineHasDeals: "Pipelinen har fortsatt avtaler. Velg hvor de skal.",
      stageKindsRequired: "En pipeline beholder minst ett åpent, ett vunnet og ett tapt trinn.",
      defaultPipeline: "Nye avtaler starter i standardpipelinen: gjør en annen pipeline til standard først.",
      customFieldKeyTaken: "Et annet egendefinert felt har allerede den nøkkelen.",
      customFieldInUse: "Noen poster har fortsatt et valg som fjernes: endre dem først.",
      lastAdmin: "Dette er organisasjonens eneste administrator: gjør noen andre til administrator først.",
      roleGrantedAtSignIn:
        "Denne personen er administrator gjennom påloggingen sin (Microsoft Entra eller serverens liste), så det kan ikke endres her.",
      baseCurrencyChanged: "Basisvalutaen ble endret i mellomtiden. Last inn siden på nytt, og prøv igjen.",
      exportTooLarge:
        "For mange rader passer til å eksporteres på én gang. Snevre inn filtrene, og eksporter igjen.",
      importRowsInvalid:
        "Noen rader i filen kan ikke importeres, så ingenting ble importert. Rett dem, og prøv igjen.",
      noContact:
        "Ingen utenfor organisasjonen i dette møtet er en kontakt i Rapport. Legg til en som kontakt, og logg det deretter.",
      notLoggedByPolicy:
        "Organisasjonens personvernregler holder denne e-posten utenfor Rapports automatiske logging.",
      busy: "Rapport er opptatt eller starter på nytt. Prøv igjen om litt.",
      rateLimited: "For mange forespørsler på kort tid. Vent litt, og prøv igjen.",
      serverError:
        "Noe gikk galt på Rapport-serveren. Prøv igjen; hvis det fortsetter, si fra til den som drifter Rapport.",
    },
    hr: {
      failedWith: "{what}: {reason}",
      details: "Pojedinosti: {details}",
      tryAgain: "Pokušaj ponovno",
      unreachable: "Rapport nije dostupan. Provjerite vezu, a zatim pokušajte ponovno.",
      unexpectedResponse:
        "Rapport je vratio odgovor koji ova stranica ne razumije. Ponovno učitajte stranicu i pokušajte ponovno.",
      unexpected: "Nešto nije u redu na ovoj stranici. Ponovno je učitajte i pokušajte ponovno.",
      invalidRequest:
        "Rapport nije prihvatio poslane podatke. Provjerite što ste unijeli i pokušajte ponovno.",
      invalidFields: "Dio unesenih podataka nije ispravan. Ispravite ga i pokušajte ponovno.",
      unreadableRequest:
        "Rapport nije mogao pročitati ono što je ova stranica poslala. Ponovno učitajte stranicu i pokušajte ponovno.",
      tooLarge: "To je više nego što Rapport prima odjednom. Pošaljite nešto manje.",
      signInAgain: "Vaša je prijava istekla. Prijavite se ponovno.",
      missingConsent:
        "Rapportu za ovo nedostaje dopuštenje. Odjavite se, ponovno se prijavite i prihvatite zatražena dopuštenja.",
      signInUnavailable: "Prijava trenutačno nije moguća. Pokušajte ponovno za trenutak.",
      personalAccount:
        "Rapport je namijenjen poslovnim i školskim računima: osobnim Microsoftovim računom nije moguće prijaviti se.",
      invalidCredentials: "Adresa e-pošte ili lozinka nisu točni.",
      accountDeactivated: "Administrator vaše organizacije ukinuo vam je pristup Rapportu.",
      microsoft365Only:
        "Vaša se organizacija u Rapport prijavljuje samo putem Microsoft 365: upotrijebite „Prijava putem Microsofta”.",
      weakPassword: "Odaberite dužu lozinku koja nije uobičajena: najmanje 12 znakova.",
      linkInvalid: "Ova poveznica više ne radi: iskorištena je, istekla ili povučena. Zatražite novu.",
      accountExists: "Ta adresa e-pošte već ima račun u Rapportu.",
      forbidden: "Nemate dopuštenje za to.",
      notFound: "To više ne postoji: netko ga je možda izbrisao.",
      changedMeanwhile:
        "Netko je ovo u međuvremenu promijenio. Ponovno učitajte da vidite promjenu, a zatim pokušajte ponovno.",
      alreadyExists: "Ovo je već spremljeno.",
      emailTaken: "Ta adresa e-pošte već pripada drugom kontaktu.",
      domainTaken: "Ta domena već pripada drugoj tvrtki.",
      mergedAway: "Ovaj je zapis spojen s drugim.",
      productCodeTaken: "Drugi proizvod već ima tu šifru.",
      stageGone: "Ta faza više ne postoji. Ponovno učitajte stranicu i odaberite drugu.",
      stageHasDeals: "Faza još ima poslove. Najprije ih premjestite u drugu fazu.",
      pipelineHasDeals: "Prodajni tijek još ima poslove. Odaberite kamo će se premjestiti.",
      stageKindsRequired:
        "Prodajni tijek zadržava barem jednu otvorenu, jednu dobivenu i jednu izgubljenu fazu.",
      defaultPipeline:
        "Novi poslovi počinju u zadanom prodajnom tijeku: najprije postavite drugi prodajni tijek kao zadani.",
      customFieldKeyTaken: "Drugo prilagođeno polje već ima taj ključ.",
      customFieldInUse: "Neki zapisi još imaju izbor koji se uklanja: najprije njih promijenite.",
      lastAdmin:
        "Ovo je jedini administrator organizacije: najprije nekoga drugog postavite za administratora.",
      roleGrantedAtSignIn:
        "Ova je osoba administrator putem svoje prijave (Microsoft Entra ili popis na poslužitelju), pa se to ne može promijeniti ovdje.",
      baseCurrencyChanged:
        "Osnovna valuta u međuvremenu je promijenjena. Ponovno učitajte stranicu i pokušajte ponovno.",
      exportTooLarge:
        "Previše redaka odgovara da bi se izvezli odjednom. Suzite filtre, a zatim ponovno izvezite.",
      importRowsInvalid:
        "Neke retke datoteke nije moguće uvesti pa ništa nije uvezeno. Ispravite ih i pokušajte ponovno.",
      noContact:
        "Nitko izvan vaše organizacije na ovom sastanku nije kontakt u Rapportu. Dodajte nekoga kao kontakt, a zatim ga zabilježite.",
      notLoggedByPolicy:
        "Pravila privatnosti vaše organizacije isključuju ovu e-poruku iz automatskog bilježenja u Rapportu.",
      busy: "Rapport je zauzet ili se ponovno pokreće. Pokušajte ponovno za trenutak.",
      rateLimited: "Previše zahtjeva u kratkom vremenu. Pričekajte trenutak, a zatim pokušajte ponovno.",
      serverError:
        "Nešto nije u redu na poslužitelju Rapporta. Pokušajte ponovno; ako se ponavlja, javite se onima koji održavaju Rapport.",
    },
  },
);

export type ProblemCatalogue = Catalogue<keyof typeof problemMessages.en>;
type ProblemWord = keyof typeof problemMessages.en;

const BY_CODE: Record<ErrorCode, ProblemWord> = {
  invalid_request: "invalidRequest",
  invalid_json: "unreadableRequest",
  unsupported_media_type: "unreadableRequest",
  payload_too_large: "tooLarge",
  unauthenticated: "signInAgain",
  token_expired: "signInAgain",
  insufficient_scope: "missingConsent",
  auth_unavailable: "signInUnavailable",
  personal_account: "personalAccount",
  invalid_credentials: "invalidCredentials",
  account_deactivated: "accountDeactivated",
  weak_password: "weakPassword",
  link_invalid: "linkInvalid",
  account_exists: "accountExists",
  microsoft365_only: "microsoft365Only",
  forbidden: "forbidden",
  not_found: "notFound",
  version_required: "unreadableRequest",
  version_conflict: "changedMeanwhile",
  id_taken: "alreadyExists",
  email_address_taken: "emailTaken",
  company_domain_taken: "domainTaken",
  record_merged: "mergedAway",
  product_code_taken: "productCodeTaken",
  stage_not_found: "stageGone",
  stage_has_deals: "stageHasDeals",
  pipeline_has_deals: "pipelineHasDeals",
  stage_kinds_required: "stageKindsRequired",
  default_pipeline: "defaultPipeline",
  custom_field_key_taken: "customFieldKeyTaken",
  custom_field_in_use: "customFieldInUse",
  last_admin: "lastAdmin",
  role_granted_at_sign_in: "roleGrantedAtSignIn",
  base_currency_changed: "baseCurrencyChanged",
  export_too_large: "exportTooLarge",
  import_rows_invalid: "importRowsInvalid",
  not_logged_by_policy: "notLoggedByPolicy",
  no_contact: "noContact",
  store_unavailable: "busy",
  store_busy: "busy",
  rate_limited: "rateLimited",
  internal_error: "serverError",
};

/** A gateway's or the network's failure: the server was not reached, so it said nothing of its own. */
const unreachable = (status: number) => status === 0 || status === 502 || status === 503 || status === 504;

/** A status without the server's problem (a proxy's page, a token endpoint): the sentence its kind calls for. */
function byStatus(status: number): ProblemWord {
  if (unreachable(status)) return "unreachable";
  if (status === 401) return "signInAgain";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  if (status === 413) return "tooLarge";
  if (status === 429) return "rateLimited";
  if (status >= 500) return "serverError";
  return "unexpectedResponse";
}

/** The sentence for a failure in the catalogue's language, chosen by the problem's code (or the bare status). */
export function problemText(error: unknown, t: ProblemCatalogue): string {
  if (!(error instanceof ApiError)) return t.unexpected;
  const problem = error.problem;
  if (!problem) return t[byStatus(error.status)];
  if (problem.code === "invalid_request" && problem.errors?.length) return t.invalidFields;
  return t[BY_CODE[problem.code]];
}

/** The failure in its own (English) words: the server's detail and the fields it refused, or the error's message. */
export function problemDetails(error: unknown): string | null {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const problem = error.problem;
  if (!problem) return unreachable(error.status) ? null : `HTTP ${error.status}`;
  const fields = (problem.errors ?? []).map((e) => e.message).filter((m) => m !== problem.detail);
  return [problem.detail, ...fields].join(" ");
}

export interface ProblemWords {
  /** What failed and what to do, in the reader's language. */
  text: string;
  /** The failure's own English words, shown smaller beneath; null where `text` already says them. */
  details: string | null;
}

/**
 * A failure as a person reads it. In English the server's own words are the sentence where it gave them (they
 * say the most, naming the record or the field); in another language the sentence is chosen by the code, and
 * the English words follow as details.
 */
export function problemWords(error: unknown, t: ProblemCatalogue, language: Language): ProblemWords {
  const text = problemText(error, t);
  const details = problemDetails(error);
  if (language === "en") {
    if (error instanceof ApiError && error.problem) return { text: error.problem.detail, details: null };
    if (!(error instanceof ApiError)) return { text: String(error), details: null };
  }
  return { text, details };
}

/** problemWords in the language the web app shows now. */
export function useProblemWords(): (error: unknown) => ProblemWords {
  const { language } = useLanguage();
  const t = problemMessages[language];
  return (error) => problemWords(error, t, language);
}

/** The words on one line, for a message that has no room for a second (a toast, a line in a dialog). */
export function problemLine(words: ProblemWords, t: ProblemCatalogue): string {
  return words.details ? `${words.text} (${translate(t.details, { details: words.details })})` : words.text;
}

/**
 * A failure on one line in the language the web app shows now: what an inline "{what}: {reason}" takes as its
 * reason (in English the server's own words, as before translation).
 */
export function useProblemLine(): (error: unknown) => string {
  const { language } = useLanguage();
  const t = problemMessages[language];
  return (error) => problemLine(problemWords(error, t, language), t);
}
