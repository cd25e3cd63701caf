import { Link } from "@fluentui/react-components";
import type { MouseEvent, ReactNode } from "react";
import { useSyncExternalStore } from "react";

const NAVIGATED = "rapport:navigate";

function subscribe(listener: () => void): () => void {
  window.addEventListener("popstate", listener);
  window.addEventListener(NAVIGATED, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(NAVIGATED, listener);
  };
}

/** The page's path (/app/reports/…); the browser's back and forward buttons move it too. */
export function usePath(): string {
  return useSyncExternalStore(
    subscribe,
    () => location.pathname,
    () => "/app",
  );
}

/** Goes to a page; `replace` puts it in place of this one in the history (a form that is done with). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname) return;
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** A real link (open in a new tab works), followed in the page itself on a plain click. */
export function AppLink({
  to,
  className,
  current,
  children,
}: {
  to: string;
  className?: string;
  /** This link's page is the one shown. */
  current?: boolean;
  children: ReactNode;
}) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <Link href={to} onClick={follow} className={className} aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}
