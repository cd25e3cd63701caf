import { useCallback, useSyncExternalStore } from "react";

const DARK_QUERY = "(prefers-color-scheme: dark)";
const STORAGE_KEY = "rapport.webapp.theme";
const CHANGED = "rapport:theme";

function chosen(): "light" | "dark" | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null; // storage refused (private mode): the system's choice stands
  }
}

function prefersDark(): boolean {
  const choice = chosen();
  if (choice) return choice === "dark";
  return typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches;
}

function subscribe(listener: () => void): () => void {
  const media = typeof matchMedia === "function" ? matchMedia(DARK_QUERY) : null;
  media?.addEventListener("change", listener);
  window.addEventListener(CHANGED, listener);
  return () => {
    media?.removeEventListener("change", listener);
    window.removeEventListener(CHANGED, listener);
  };
}

/**
 * Light or dark: the operating system's choice (prefers-color-scheme), followed as it changes, until the user
 * picks one with the toggle; that choice is remembered in this browser.
 */
export function useDarkTheme(): [dark: boolean, setDark: (dark: boolean) => void] {
  const dark = useSyncExternalStore(subscribe, prefersDark, () => false);
  const setDark = useCallback((value: boolean) => {
    try {
      localStorage.setItem(STORAGE_KEY, value ? "dark" : "light");
    } catch {
      // Not remembered, still applied for this page below.
    }
    window.dispatchEvent(new Event(CHANGED));
  }, []);
  return [dark, setDark];
}
