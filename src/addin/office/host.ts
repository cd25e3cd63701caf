/// <reference types="office-js" />

/** Where a page of the add-in runs: in Outlook, in another Office host, or with no Office.js at all. */
export type Host = "outlook" | "other" | "no-office";

export async function officeHost(): Promise<Host> {
  if (typeof Office === "undefined") return "no-office";
  const info = await Office.onReady();
  return info.host === Office.HostType.Outlook ? "outlook" : "other";
}

/** Resolves once Office.js is ready to be called. */
export function officeReady(): Promise<void> {
  return Office.onReady().then(() => undefined);
}

/** The ribbon's "Log to Rapport": whatever it does, Outlook hears it finished (a spinning button otherwise). */
export function onLogToRapport(run: () => Promise<void>): void {
  Office.actions.associate("logToRapport", (event: Office.AddinCommands.Event) => {
    run()
      .catch(() => undefined)
      .finally(() => event.completed());
  });
}

/**
 * Loads Office.js from Microsoft's CDN (the only place it is supported from) into a page that does not always need
 * it: the sign-in dialog, which the preview frames without Office.
 */
export function loadOfficeJs(): Promise<void> {
  if (typeof Office !== "undefined") return officeReady();
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
    script.onload = () => resolve(officeReady());
    script.onerror = () => reject(new Error("Office.js could not be loaded"));
    document.head.append(script);
  });
}
