// The origin written into manifest.xml. CommonJS, because webpack.config.js (which webpack loads as CommonJS)
// and the manifest tests must run the very same substitution.
const { URL } = require("node:url");

const DEV_ORIGIN = "https://localhost:3000";

// The development origin as it appears in manifest.xml, not followed by more of a host or port
// (so https://localhost:30001 would not match).
const DEV_ORIGIN_PATTERN = /https:\/\/localhost:3000(?![\w.:-])/g;

const example = "e.g. npm run build -- --env origin=https://crm.example.com";

/**
 * The origin the add-in is served from, checked and normalised (lower-case host, default port dropped).
 * Outlook loads add-ins over HTTPS only, and the manifest appends paths to the origin, so anything but
 * `https://host[:port]` is refused with a message that says what is wrong.
 */
function parseOrigin(value) {
  if (typeof value !== "string" || value.trim() === "") {
    throw new Error(`The add-in's origin is missing: give it as https://host[:port], ${example}.`);
  }
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(
      `The add-in's origin "${value}" is not a URL: give it as https://host[:port], ${example}.`,
    );
  }
  if (url.protocol !== "https:") {
    throw new Error(
      `The add-in's origin "${value}" is not https: Outlook loads add-ins over HTTPS only (${example}).`,
    );
  }
  if (url.username || url.password) {
    throw new Error(`The add-in's origin "${value}" carries credentials: give https://host[:port] alone.`);
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    const extra = `${url.pathname === "/" ? "" : url.pathname}${url.search}${url.hash}`;
    throw new Error(
      `The add-in's origin "${value}" has a path ("${extra}"): give the origin alone, https://host[:port], ` +
        `since the manifest adds /taskpane.html, /assets/… to it (${example}).`,
    );
  }
  return url.origin;
}

/** manifest.xml with every URL on the development origin moved to `origin` (checked by parseOrigin). */
function manifestForOrigin(xml, origin) {
  const target = parseOrigin(origin);
  return xml.replace(DEV_ORIGIN_PATTERN, target);
}

module.exports = { DEV_ORIGIN, parseOrigin, manifestForOrigin };
