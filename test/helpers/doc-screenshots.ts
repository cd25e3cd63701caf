import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";

const images = path.resolve(__dirname, "../../docs/images");

/**
 * The README's and the docs' pictures, taken by the end-to-end suites so they show the product as it is. Only
 * with RAPPORT_SCREENSHOTS=1: a normal run must not rewrite committed files (a PNG differs at every run, by
 * its dates and anti-aliasing).
 */
export const docScreenshotsWanted = process.env.RAPPORT_SCREENSHOTS === "1";

/** The web app's pictures: the top of the page in a laptop's 1280 × 800, whatever the test's viewport. */
export const WEB_APP_PICTURE = { x: 0, y: 0, width: 1280, height: 800 } as const;

/**
 * A page's region (`clip`) or one element (the pane, at the width Outlook gives it) into docs/images/<name>.
 */
export async function docScreenshot(
  target: { page: Page; clip: typeof WEB_APP_PICTURE } | { element: Locator },
  name: string,
): Promise<void> {
  if (!docScreenshotsWanted) return;
  mkdirSync(images, { recursive: true });
  const file = path.join(images, name);
  if ("element" in target) await target.element.screenshot({ path: file, animations: "disabled" });
  else await target.page.screenshot({ path: file, clip: target.clip, animations: "disabled" });
}
