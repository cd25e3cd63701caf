// manifest.xml as Outlook and Microsoft's tools read it, offline: well-formed and parsable by
// office-addin-manifest, every reference resolving, every URL on the origin it was built for, every icon the
// size it claims, elements in the schema's order, requirement sets that cover what the add-in's code calls,
// a conversion to the unified manifest that passes its JSON schema, and the build that writes it.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { chromium } from "playwright-core";
import { parse as parseScript } from "acorn";
import type { Stats, StatsModule } from "webpack";
import { DEV_ORIGIN, manifestForOrigin, parseOrigin } from "../../scripts/manifest-origin";
import { bundleReports } from "../../scripts/bench/pane";
import { build, productionConfig } from "../../scripts/webpack-build";
import { DEFAULT_FRAME_ANCESTORS, OFFICE_JS_ORIGIN } from "../../src/server/http/addin-files";
// The mailbox sync reads the add-in's custom properties under this id: it must be the manifest's.
import { ADDIN_ID } from "../../src/server/sync/mail-graph";
import { CHROMIUM, browserAvailable, chromiumArgs } from "../helpers/rapport-stack";
import { startTestServer } from "../helpers/server";

const root = path.resolve(__dirname, "../..");
const MANIFEST_PATH = path.join(root, "manifest.xml");
const SOURCE = readFileSync(MANIFEST_PATH, "utf8");
const BUILT_ORIGIN = "https://crm.example.com";
const BUILT = manifestForOrigin(SOURCE, BUILT_ORIGIN);
/** The one URL the manifest may name off its own origin: Microsoft sign-in, for MSAL's dialog. */
const SIGN_IN = "https://login.microsoftonline.com";

// ---------------------------------------------------------------------------------------------------------
// Reading the XML. @xmldom/xmldom only warns about some malformed XML, so every message is an error here.

function parseXml(xml: string): Document {
  const problems: string[] = [];
  const report = (message: unknown) => problems.push(String(message));
  const doc = new DOMParser({
    errorHandler: { warning: report, error: report, fatalError: report },
  }).parseFromString(xml, "text/xml");
  if (problems.length > 0) throw new Error(`manifest.xml is not well-formed:\n${problems.join("\n")}`);
  return doc;
}

function childElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let i = 0; i < node.childNodes.length; i++) {
    const child = node.childNodes.item(i);
    if (child && child.nodeType === 1) out.push(child as Element);
  }
  return out;
}

function allElements(doc: Document): Element[] {
  const list = doc.getElementsByTagName("*");
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) {
    const el = list.item(i);
    if (el) out.push(el);
  }
  return out;
}

/** An attribute's value, or undefined when absent (xmldom's getAttribute gives "" for a missing one). */
const attr = (el: Element | undefined, name: string): string | undefined =>
  el?.hasAttribute(name) ? (el.getAttribute(name) ?? undefined) : undefined;

const child = (el: Element, name: string): Element | undefined =>
  childElements(el).find((c) => c.localName === name);

/** OfficeApp/VersionOverrides/…/Control#RapportLogButton: where an element is, for failure messages. */
function where(el: Element): string {
  const parts: string[] = [];
  for (let n: Node | null = el; n && n.nodeType === 1; n = n.parentNode) {
    const e = n as Element;
    const id = e.getAttribute("id");
    parts.unshift(id ? `${e.localName}#${id}` : e.localName);
  }
  return parts.join("/");
}

function ancestor(el: Element, name: string): Element | undefined {
  for (let n = el.parentNode; n && n.nodeType === 1; n = n.parentNode) {
    if ((n as Element).localName === name) return n as Element;
  }
  return undefined;
}

const xsiType = (el: Element | undefined) => attr(el, "xsi:type");

function officeApp(doc: Document): Element {
  const el = doc.documentElement;
  if (!el || el.localName !== "OfficeApp") throw new Error("the root element is not OfficeApp");
  return el;
}

/** The VersionOverrides elements, outermost first. */
function versionOverrides(doc: Document): Element[] {
  return allElements(doc).filter((el) => el.localName === "VersionOverrides");
}

function overridesV11(doc: Document): Element {
  const v11 = versionOverrides(doc).find((el) => xsiType(el) === "VersionOverridesV1_1");
  if (!v11) throw new Error("no VersionOverridesV1_1");
  return v11;
}

// ---------------------------------------------------------------------------------------------------------
// Resources and references.

/** What each kind of resid-bearing element may point at. */
const RESID_KIND: Record<string, string> = {
  Image: "Images",
  SourceLocation: "Urls",
  FunctionFile: "Urls",
  Runtime: "Urls",
  Override: "Urls",
  Label: "ShortStrings",
  Title: "ShortStrings",
  Description: "LongStrings",
};

interface Resource {
  id: string;
  kind: string;
  el: Element;
}

/**
 * The resources of one VersionOverrides. Each must be self-contained: a resid resolves only within the
 * VersionOverrides that holds it, so the 1.1 overrides never lean on their parent's Resources.
 */
function resourcesOf(overrides: Element): Resource[] {
  const resources = child(overrides, "Resources");
  if (!resources) return [];
  return childElements(resources).flatMap((group) =>
    childElements(group).map((el) => ({ id: el.getAttribute("id") ?? "", kind: group.localName, el })),
  );
}

function residsIn(doc: Document): Element[] {
  return allElements(doc).filter((el) => el.hasAttribute("resid"));
}

// ---------------------------------------------------------------------------------------------------------
// URLs.

const looksLikeUrl = (value: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim());

/** Element/attribute pairs that hold URLs the add-in is loaded from. */
const URL_ATTRIBUTES: ReadonlyArray<[element: string, attribute: string]> = [
  ["SourceLocation", "DefaultValue"],
  ["SupportUrl", "DefaultValue"],
  ["IconUrl", "DefaultValue"],
  ["HighResolutionIconUrl", "DefaultValue"],
  ["Url", "DefaultValue"],
  ["Image", "DefaultValue"],
  ["Override", "Value"],
];

interface UrlUse {
  where: string;
  url: string;
}

/** Every URL anywhere in an attribute or text (namespace declarations aside). */
function everyUrl(doc: Document): UrlUse[] {
  const uses: UrlUse[] = [];
  for (const el of allElements(doc)) {
    for (let i = 0; i < el.attributes.length; i++) {
      const attr = el.attributes.item(i);
      if (!attr || attr.name === "xmlns" || attr.name.startsWith("xmlns:")) continue;
      if (looksLikeUrl(attr.value)) uses.push({ where: `${where(el)}@${attr.name}`, url: attr.value });
    }
    const text = childElements(el).length === 0 ? (el.textContent ?? "").trim() : "";
    if (looksLikeUrl(text)) uses.push({ where: where(el), url: text });
  }
  return uses;
}

function namedUrls(doc: Document): UrlUse[] {
  const uses: UrlUse[] = [];
  for (const el of allElements(doc)) {
    for (const [element, attribute] of URL_ATTRIBUTES) {
      if (el.localName === element && el.hasAttribute(attribute)) {
        uses.push({ where: `${where(el)}@${attribute}`, url: el.getAttribute(attribute) ?? "" });
      }
    }
  }
  return uses;
}

function expectUrlsOn(xml: string, origin: string): void {
  const doc = parseXml(xml);
  const named = namedUrls(doc);
  expect(named.length).toBeGreaterThan(10);
  const offOrigin = named.filter(({ url }) => {
    const parsed = new URL(url);
    return parsed.protocol !== "https:" || parsed.origin !== origin;
  });
  expect(offOrigin).toEqual([]);

  // Nothing else names a URL but AppDomains, which are the origin and Microsoft's sign-in.
  const namedPlaces = new Set(named.map((u) => u.where));
  const elsewhere = everyUrl(doc).filter((u) => !namedPlaces.has(u.where));
  expect(elsewhere.map((u) => u.where).every((w) => w.endsWith("/AppDomains/AppDomain"))).toBe(true);
  expect(elsewhere.map((u) => u.url).sort()).toEqual([origin, SIGN_IN].sort());
  if (origin !== DEV_ORIGIN) expect(xml).not.toContain(DEV_ORIGIN);
}

// ---------------------------------------------------------------------------------------------------------
// Icons.

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  const signature = "89504e470d0a1a0a";
  if (bytes.subarray(0, 8).toString("hex") !== signature) throw new Error(`${file} is not a PNG`);
  if (bytes.subarray(12, 16).toString("latin1") !== "IHDR") throw new Error(`${file} has no IHDR first`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** assets/… on disk for an icon URL on `origin`. */
function assetFile(url: string, origin: string): string {
  const parsed = new URL(url);
  expect(parsed.origin).toBe(origin);
  expect(parsed.pathname.startsWith("/assets/")).toBe(true);
  return path.join(root, "assets", ...parsed.pathname.slice("/assets/".length).split("/"));
}

/**
 * Whether every visible pixel of one of our PNGs is grey (red, green and blue equal), as Outlook mobile wants a
 * meeting's Log button's icon. Reads the encoding scripts/make-icons.ts writes: 8-bit RGBA, unfiltered rows.
 */
function greyPixels(file: string): boolean {
  const bytes = readFileSync(file);
  const { width, height } = pngSize(file);
  const parts: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    if (bytes.subarray(at + 4, at + 8).toString("latin1") === "IDAT")
      parts.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(parts));
  let visible = 0;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    if (raw[row] !== 0) return false;
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = raw.subarray(row + 1 + x * 4, row + 5 + x * 4);
      if (!a) continue;
      visible++;
      if (r !== g || g !== b) return false;
    }
  }
  return visible > 0;
}

// ---------------------------------------------------------------------------------------------------------
// Requirement sets against the code.

const compareVersions = (a: string, b: string): number => {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

/** Office.js APIs the add-in may call, and the Mailbox requirement set that brought each. */
const API_VERSIONS: ReadonlyArray<{ api: string; pattern: RegExp; version: string }> = [
  { api: "ItemChanged", pattern: /\bEventType\.ItemChanged\b/, version: "1.5" },
  { api: "RecipientsChanged", pattern: /\bEventType\.RecipientsChanged\b/, version: "1.7" },
  { api: "AppointmentTimeChanged", pattern: /\bEventType\.AppointmentTimeChanged\b/, version: "1.7" },
  { api: "organizer.getAsync (the organiser's form)", pattern: /\.organizer\.getAsync\b/, version: "1.7" },
  { api: "categories", pattern: /\bitem\??\.categories\b|\bmasterCategories\b/, version: "1.8" },
  {
    api: "attachments (getAttachmentsAsync, getAttachmentContentAsync)",
    pattern: /\bgetAttachment(s|Content)Async\b/,
    version: "1.8",
  },
  { api: "internetHeaders", pattern: /\.internetHeaders\b/, version: "1.8" },
  { api: "sessionData", pattern: /\.sessionData\b/, version: "1.11" },
  { api: "OnMessageSend (event.completed({ allowEvent }))", pattern: /\ballowEvent\s*:/, version: "1.12" },
  { api: "OfficeThemeChanged", pattern: /\bEventType\.OfficeThemeChanged\b/, version: "1.14" },
  { api: "sendModeOverride", pattern: /\bsendModeOverride\b/, version: "1.14" },
];

/** LaunchEvent types the manifest may use, and the Mailbox set that raises each. */
const EVENT_VERSIONS: Record<string, string> = {
  OnNewMessageCompose: "1.10",
  OnMessageRecipientsChanged: "1.11",
  OnMessageAttachmentsChanged: "1.11",
  OnMessageSend: "1.12",
};

/** How far above a call an isSetSupported check still counts as guarding it. */
const GUARD_LINES = 12;
const GUARD = /isSetSupported\(\s*["']Mailbox["']\s*,\s*["'](\d+(?:\.\d+)*)["']\s*\)/g;

/** Source with comments blanked (line numbers kept), so a comment naming an API is not a call. */
function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, " "))
    .replace(/(^|[^:\\])\/\/.*$/gm, "$1");
}

interface Unguarded {
  file: string;
  line: number;
  api: string;
  needs: string;
}

/**
 * Calls that need a later Mailbox set than `declared` with no isSetSupported check for it close above, in
 * a file not reached only through launch events of that set (`gatedBy`: function name → the set its event
 * needs; a file that associates only such functions runs only where Outlook raised the event).
 */
function unguardedCalls(
  file: string,
  source: string,
  declared: string,
  gatedBy: Record<string, string>,
): Unguarded[] {
  const code = withoutComments(source);
  const associated = [...code.matchAll(/Office\.actions\.associate\(\s*["'](\w+)["']/g)].map(
    (m) => m[1] ?? "",
  );
  const gates = associated.map((name) => gatedBy[name]);
  const fileFloor =
    gates.length > 0 && gates.every((g): g is string => g !== undefined)
      ? gates.reduce((a, b) => (compareVersions(a, b) < 0 ? a : b))
      : declared;
  const floor = compareVersions(fileFloor, declared) > 0 ? fileFloor : declared;
  const lines = code.split("\n");
  const found: Unguarded[] = [];
  lines.forEach((text, index) => {
    for (const { api, pattern, version } of API_VERSIONS) {
      if (!pattern.test(text) || compareVersions(version, floor) <= 0) continue;
      const above = lines.slice(Math.max(0, index - GUARD_LINES), index + 1).join("\n");
      const guarded = [...above.matchAll(GUARD)].some((m) => compareVersions(m[1] ?? "0", version) >= 0);
      if (!guarded) found.push({ file, line: index + 1, api, needs: version });
    }
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The Mailbox version every client that runs Rapport has: the base manifest's requirement. */
function declaredMailbox(doc: Document): string {
  const requirements = child(officeApp(doc), "Requirements");
  const sets = requirements && child(requirements, "Sets");
  const mailbox = sets && childElements(sets).find((s) => s.getAttribute("Name") === "Mailbox");
  const version = attr(mailbox, "MinVersion") ?? attr(sets, "DefaultMinVersion");
  if (!version) throw new Error("the base manifest declares no Mailbox requirement set");
  return version;
}

// ---------------------------------------------------------------------------------------------------------
// Microsoft's manifest tools, in a child process (microsoft-tools.js says why), and what they report.
interface ToolsResult {
  info: {
    id?: string;
    officeAppType?: string;
    hosts?: string[];
    version?: string;
    defaultLocale?: string;
    displayName?: string;
    permissions?: string;
    iconUrl?: string;
    appDomains?: string[];
  };
  unified: {
    $schema: string;
    id: string;
    extensions: Array<{
      autoRunEvents?: Array<{
        events: Array<{ type: string; actionId: string; options?: { sendMode?: string } }>;
      }>;
      ribbons?: Array<{ contexts: string[] }>;
      runtimes?: Array<{ code: { page: string; script?: string } }>;
    }>;
  };
  validation: { isValid: boolean; report?: { errors?: Array<{ content?: string }> } };
  schemaFile: string;
  schemaErrors: string[];
  broken: { isValid: boolean };
  connections: string[];
}

async function runMicrosoftTools(xml: string): Promise<ToolsResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rapport-manifest-"));
  try {
    const xmlPath = path.join(dir, "manifest.xml");
    writeFileSync(xmlPath, xml);
    await promisify(execFile)(process.execPath, [path.join(__dirname, "microsoft-tools.js"), xmlPath, dir], {
      cwd: root,
    });
    return JSON.parse(readFileSync(path.join(dir, "result.json"), "utf8")) as ToolsResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The build.

const webpackConfig = productionConfig;

/**
 * Every module a page's entry can load: the entry's chunks, the chunks they load on demand, and inside each the
 * modules webpack concatenated into one (a production build hides most of a bundle's modules that way).
 */
function modulesLoadedBy(stats: Stats, entry: string): string[] {
  const json = stats.toJson({
    all: false,
    ids: true,
    entrypoints: true,
    chunks: true,
    chunkRelations: true,
    chunkModules: true,
    chunkModulesSpace: Infinity,
    nestedModules: true,
    nestedModulesSpace: Infinity,
    dependentModules: true,
  });
  const chunks = new Map((json.chunks ?? []).map((chunk) => [chunk.id, chunk]));
  const pending = [...(json.entrypoints?.[entry]?.chunks ?? [])];
  if (pending.length === 0) throw new Error(`no entry ${entry} in the build`);
  const seen = new Set<string | number>();
  const names: string[] = [];
  const open = (module: StatsModule) => {
    const name = module.nameForCondition ?? module.name;
    if (name) names.push(name.split(path.sep).join("/"));
    for (const inner of module.modules ?? []) open(inner);
  };
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const chunk = chunks.get(id);
    if (!chunk) throw new Error(`chunk ${id} of ${entry} is missing from the stats`);
    for (const module of chunk.modules ?? []) open(module);
    pending.push(...(chunk.children ?? []));
  }
  return names;
}

/** What Outlook loads before the pane can paint a known sender's profile, gzipped (Odoo's Outlook pane: 243 KB). */
const PANE_FIRST_LOAD_BUDGET_KB = 200;

/**
 * Parts that are chunks of their own, loaded on first use and prefetched when the pane is idle: the profile of a
 * known sender paints without any of them.
 */
const NOT_IN_FIRST_LOAD = [
  "src/addin/taskpane/components/DealStage.tsx",
  "src/addin/taskpane/components/DealMenu.tsx",
  "src/addin/taskpane/components/LogOnSendSwitch.tsx",
  "src/addin/taskpane/components/ParticipantTabs.tsx",
  "src/addin/taskpane/components/QuickActions.tsx",
  "src/addin/taskpane/components/QuickForms.tsx",
  "src/addin/taskpane/components/CustomFields.tsx",
  "src/addin/taskpane/components/CustomFieldEditor.tsx",
  "src/addin/taskpane/components/UnknownPerson.tsx",
  "src/addin/taskpane/components/SettingsPanel.tsx",
  "src/addin/taskpane/components/today/Today.tsx",
  "src/addin/taskpane/components/today/MeetingBriefs.tsx",
  "src/addin/taskpane/components/meeting/MeetingView.tsx",
  "src/addin/taskpane/components/meeting/LogMeetingForm.tsx",
  "src/addin/taskpane/components/ComposeTemplates.tsx",
  "src/addin/taskpane/components/CompanyAccount.tsx",
  "src/addin/taskpane/components/ComposeQuotes.tsx",
  "src/addin/auth/naa-sign-in.ts",
  "src/addin/office/office-mailbox.ts",
];

/** React, the libraries built on it, and the pane's own code: what the ribbon command and on-send need none of. */
const REACT_OR_PANE =
  /\/node_modules\/(react|react-dom|scheduler|@fluentui\/[^/]+|@griffel\/[^/]+|@tanstack\/react-query)\/|\/src\/addin\/taskpane\//;

// ---------------------------------------------------------------------------------------------------------

describe("manifest.xml", () => {
  const doc = parseXml(SOURCE);

  let tools: ToolsResult;
  beforeAll(async () => {
    tools = await runMicrosoftTools(SOURCE);
  }, 30_000);

  test("office-addin-manifest reads it: Rapport's id, a version that follows package.json, Outlook", () => {
    const { info } = tools;
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    expect(info.id).toBe(ADDIN_ID);
    expect(info.officeAppType).toBe("MailApp");
    expect(info.hosts).toEqual(["Mailbox"]);
    expect(info.version).toBe(`${pkg.version}.0`);
    expect(info.defaultLocale).toBe("en-US");
    expect(info.displayName).toBe("Rapport");
    expect(info.permissions).toBe("ReadWriteItem");
    expect(info.iconUrl).toBe(`${DEV_ORIGIN}/assets/icon-64.png`);
    // office-addin-manifest 3.0.0 reports only the first AppDomain; the URL tests below read them all.
    expect(info.appDomains?.[0]).toBe(DEV_ORIGIN);
  });

  test("converts offline to a unified manifest that passes the schema bundled in @microsoft/app-manifest", () => {
    const { unified, validation, schemaFile, schemaErrors, broken, connections } = tools;
    expect(connections).toEqual([]);
    expect(unified.id).toBe(ADDIN_ID);
    expect(validation.report?.errors ?? []).toEqual([]);
    expect(validation.isValid).toBe(true);
    expect(path.relative(root, schemaFile)).toMatch(
      /^node_modules\/@microsoft\/app-manifest\/build\/json-schemas\//,
    );
    expect(schemaErrors).toEqual([]);
    expect(broken.isValid).toBe(false);

    // What the converter understood of the XML: the on-send event, the contexts (a meeting's organiser and attendee
    // on the desktop, Outlook mobile's Log on a meeting as the context the docs name for it), mobile, the JS runtime.
    const [extension] = unified.extensions;
    expect(extension?.autoRunEvents?.flatMap((a) => a.events)).toEqual([
      { type: "messageSending", actionId: "onMessageSendHandler", options: { sendMode: "promptUser" } },
    ]);
    expect(extension?.ribbons?.flatMap((r) => r.contexts).sort()).toEqual([
      "default",
      "logEventMeetingDetailsAttendee",
      "mailCompose",
      "mailRead",
      "meetingDetailsAttendee",
      "meetingDetailsOrganizer",
    ]);
    expect(extension?.runtimes?.map((r) => r.code.script).filter(Boolean)).toEqual([
      `${DEV_ORIGIN}/launchevent.js`,
    ]);
  });

  test("OfficeApp's children follow the MailApp schema's sequence, with every required one present", () => {
    // OfficeAppManifest 1.1 XSD: OfficeApp's sequence, then MailApp's extension of it.
    const sequence = [
      "Id",
      "AlternateId",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "FormSettings",
      "Permissions",
      "Rule",
      "DisableEntityHighlighting",
      "VersionOverrides",
    ];
    const required = ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description"];
    const names = childElements(officeApp(doc)).map((el) => el.localName);
    expect(names.filter((n) => !sequence.includes(n))).toEqual([]);
    const positions = names.map((n) => sequence.indexOf(n));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining([...required, "Requirements", "FormSettings", "Rule"]));
    expect(xsiType(officeApp(doc))).toBe("MailApp");
  });

  test("inside VersionOverrides: Requirements?, Hosts, Resources; inside MailHost: Runtimes, Desktop, Mobile", () => {
    const overrides = versionOverrides(doc);
    expect(overrides.map(xsiType)).toEqual(["VersionOverridesV1_0", "VersionOverridesV1_1"]);
    const orders: Record<string, string[]> = {
      VersionOverridesV1_0: ["Description", "Requirements", "Hosts", "Resources", "VersionOverrides"],
      VersionOverridesV1_1: ["Description", "Requirements", "Hosts", "Resources", "WebApplicationInfo"],
    };
    for (const el of overrides) {
      const sequence = orders[xsiType(el) ?? ""] ?? [];
      const positions = childElements(el).map((c) => sequence.indexOf(c.localName));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
    }
    const v11 = overridesV11(doc);
    expect(childElements(v11).map((c) => c.localName)).toEqual(["Requirements", "Hosts", "Resources"]);

    const hosts = allElements(doc).filter((el) => el.localName === "Host" && xsiType(el) === "MailHost");
    expect(hosts).toHaveLength(1);
    expect(childElements(hosts[0] as Element).map((c) => c.localName)).toEqual([
      "Runtimes",
      "DesktopFormFactor",
      "MobileFormFactor",
    ]);
  });

  test("every id is unique (but the built-in tab's), every resid resolves to one resource of its kind, every resource is used", () => {
    const ids = allElements(doc)
      .filter((el) => el.hasAttribute("id") && el.localName !== "OfficeTab")
      .map((el) => el.getAttribute("id"));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // OfficeTab ids name Outlook's own tab, so every surface says TabDefault.
    const tabs = allElements(doc).filter((el) => el.localName === "OfficeTab");
    expect(tabs.map((t) => t.getAttribute("id"))).toEqual([
      "TabDefault",
      "TabDefault",
      "TabDefault",
      "TabDefault",
    ]);

    const problems: string[] = [];
    const used = new Set<Element>();
    for (const el of residsIn(doc)) {
      const resid = el.getAttribute("resid") ?? "";
      if (resid.length > 32) problems.push(`${where(el)}: resid "${resid}" is longer than 32 characters`);
      const overrides = ancestor(el, "VersionOverrides");
      const matches = overrides ? resourcesOf(overrides).filter((r) => r.id === resid) : [];
      if (matches.length !== 1) {
        problems.push(`${where(el)}: resid "${resid}" matches ${matches.length} resources`);
        continue;
      }
      const [resource] = matches as [Resource];
      used.add(resource.el);
      const kind = RESID_KIND[el.localName];
      if (kind !== resource.kind) problems.push(`${where(el)} points at ${resource.kind}, wants ${kind}`);
    }
    const all = versionOverrides(doc).flatMap(resourcesOf);
    for (const resource of all) {
      if (!used.has(resource.el)) problems.push(`resource ${resource.kind}/${resource.id} is never used`);
    }
    expect(problems).toEqual([]);
    expect(all.length).toBeGreaterThan(10);
  });

  test.each([
    ["the source, on the development origin", SOURCE, DEV_ORIGIN],
    ["the build for https://crm.example.com", BUILT, BUILT_ORIGIN],
  ])(
    "every URL in %s is https and on that origin (AppDomains add only Microsoft sign-in)",
    (_name, xml, origin) => {
      expectUrlsOn(xml, origin);
    },
  );

  test("every icon is a PNG in assets/ of the size the manifest claims for it", () => {
    const problems: string[] = [];
    const check = (what: string, url: string, claimed: number) => {
      const file = assetFile(url, DEV_ORIGIN);
      if (!existsSync(file)) return void problems.push(`${what}: ${path.relative(root, file)} is missing`);
      const { width, height } = pngSize(file);
      if (width !== claimed || height !== claimed)
        problems.push(
          `${what}: ${path.relative(root, file)} is ${width}×${height}, the manifest says ${claimed}`,
        );
    };

    // Outlook's own sizes for the base icons: 64 px, and 128 px on high-DPI screens.
    const base = officeApp(doc);
    check("IconUrl", child(base, "IconUrl")?.getAttribute("DefaultValue") ?? "", 64);
    check(
      "HighResolutionIconUrl",
      child(base, "HighResolutionIconUrl")?.getAttribute("DefaultValue") ?? "",
      128,
    );

    const images = versionOverrides(doc)
      .flatMap(resourcesOf)
      .filter((r) => r.kind === "Images");
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      const url = image.el.getAttribute("DefaultValue") ?? "";
      const fromId = /^Icon\.(\d+)x\1$/.exec(image.id);
      if (fromId) check(`image ${image.id}`, url, Number(fromId[1]));
      const uses = residsIn(doc).filter(
        (el) => el.localName === "Image" && el.getAttribute("resid") === image.id,
      );
      for (const use of uses) {
        // On mobile, size is in points: scale 2 and 3 want twice and three times the pixels.
        const pixels = Number(use.getAttribute("size")) * Number(attr(use, "scale") ?? 1);
        check(
          `${where(use)} (size ${use.getAttribute("size")}, scale ${attr(use, "scale") ?? 1})`,
          url,
          pixels,
        );
      }
      if (!fromId && uses.length === 0) problems.push(`image ${image.id} claims no size`);
    }
    expect(problems).toEqual([]);
  });

  test("desktop buttons carry 16, 32 and 80 px icons; the mobile buttons 25, 32 and 48 at scales 1, 2 and 3", () => {
    const icons = allElements(doc).filter((el) => el.localName === "Icon");
    const sizes = (icon: Element) =>
      childElements(icon)
        .map((img) => `${attr(img, "size")}@${attr(img, "scale") ?? 1}`)
        .sort();
    const mobile = icons.filter((icon) => ancestor(icon, "MobileFormFactor"));
    const desktop = icons.filter((icon) => ancestor(icon, "DesktopFormFactor"));
    expect(desktop.length).toBe(5);
    for (const icon of desktop) expect(sizes(icon)).toEqual(["16@1", "32@1", "80@1"]);
    expect(mobile.length).toBe(2);
    for (const icon of mobile) {
      expect(xsiType(icon)).toBe("bt:MobileIconList");
      expect(sizes(icon)).toEqual(
        ["25", "32", "48"].flatMap((s) => ["1", "2", "3"].map((scale) => `${s}@${scale}`)).sort(),
      );
    }
  });

  test("the surfaces: a pinnable pane and the Log to Rapport function when reading, the pane in compose and on mobile", () => {
    const v11 = overridesV11(doc);
    const surface = (type: string) =>
      allElements(doc).find((el) => el.localName === "ExtensionPoint" && xsiType(el) === type);
    const controls = (el: Element | undefined) =>
      el
        ? allElements(doc).filter((c) => c.localName === "Control" && ancestor(c, "ExtensionPoint") === el)
        : [];
    const actionOf = (control: Element) => child(control, "Action");
    const urlOf = (action: Element | undefined) => {
      const resid = action && child(action, "SourceLocation")?.getAttribute("resid");
      return resourcesOf(v11)
        .find((r) => r.id === resid)
        ?.el.getAttribute("DefaultValue");
    };

    const read = controls(surface("MessageReadCommandSurface"));
    const pane = read.find((c) => xsiType(actionOf(c) as Element) === "ShowTaskpane");
    const log = read.find((c) => xsiType(actionOf(c) as Element) === "ExecuteFunction");
    expect(urlOf(pane && actionOf(pane))).toBe(`${DEV_ORIGIN}/taskpane.html`);
    expect(child(actionOf(pane as Element) as Element, "SupportsPinning")?.textContent).toBe("true");
    expect(child(actionOf(log as Element) as Element, "FunctionName")?.textContent).toBe("logToRapport");
    const functionFile = allElements(doc).find(
      (el) => el.localName === "FunctionFile" && ancestor(el, "DesktopFormFactor"),
    );
    const functionUrl = resourcesOf(v11).find((r) => r.id === functionFile?.getAttribute("resid"));
    expect(functionUrl?.el.getAttribute("DefaultValue")).toBe(`${DEV_ORIGIN}/commands.html`);

    const compose = controls(surface("MessageComposeCommandSurface"));
    expect(compose.map((c) => urlOf(actionOf(c)))).toEqual([`${DEV_ORIGIN}/taskpane.html`]);
    const mobile = controls(surface("MobileMessageReadCommandSurface"));
    expect(mobile.map((c) => xsiType(c))).toEqual(["MobileButton"]);
    expect(mobile.map((c) => urlOf(actionOf(c)))).toEqual([`${DEV_ORIGIN}/taskpane.html`]);
  });

  test("a meeting opens the pane for its organiser and its attendees, and Outlook mobile's Log on a meeting opens it too", () => {
    const v11 = overridesV11(doc);
    const surface = (type: string) =>
      allElements(doc).filter((el) => el.localName === "ExtensionPoint" && xsiType(el) === type);
    const controlsOf = (el: Element) =>
      allElements(doc).filter((c) => c.localName === "Control" && ancestor(c, "ExtensionPoint") === el);
    const urlOf = (control: Element) => {
      const action = child(control, "Action");
      const resid = action && child(action, "SourceLocation")?.getAttribute("resid");
      return {
        type: xsiType(action),
        url: resourcesOf(v11)
          .find((r) => r.id === resid)
          ?.el.getAttribute("DefaultValue"),
      };
    };
    const pane = { type: "ShowTaskpane", url: `${DEV_ORIGIN}/taskpane.html` };
    for (const type of ["AppointmentOrganizerCommandSurface", "AppointmentAttendeeCommandSurface"]) {
      const [point, ...more] = surface(type);
      expect(more).toEqual([]);
      expect(ancestor(point as Element, "DesktopFormFactor")).toBeTruthy();
      expect(controlsOf(point as Element).map(urlOf)).toEqual([pane]);
    }

    // MobileLogEventAppointmentAttendee: under MobileFormFactor only, one MobileButton as its only child, with the
    // nine mobile icons (sizes checked above) in Outlook mobile's grey; its action may show the pane (the docs'
    // task pane option), which is where the rep writes the notes.
    const [log, ...others] = surface("MobileLogEventAppointmentAttendee");
    expect(others).toEqual([]);
    expect(ancestor(log as Element, "MobileFormFactor")).toBeTruthy();
    const children = childElements(log as Element);
    expect(children.map((c) => `${c.localName}:${xsiType(c)}`)).toEqual(["Control:MobileButton"]);
    expect(urlOf(children[0] as Element)).toEqual(pane);
    const images = allElements(doc).filter(
      (el) => el.localName === "Image" && ancestor(el, "ExtensionPoint") === log,
    );
    expect(images).toHaveLength(9);
    for (const image of images) {
      const url = resourcesOf(v11)
        .find((r) => r.id === image.getAttribute("resid"))
        ?.el.getAttribute("DefaultValue");
      const file = assetFile(url ?? "", DEV_ORIGIN);
      expect(path.basename(file)).toMatch(/^icon-grey-\d+\.png$/);
      expect(greyPixels(file)).toBe(true);
    }

    // The item rules of clients that read no VersionOverrides name meetings too.
    const rules = allElements(doc).filter((el) => el.localName === "Rule" && xsiType(el) === "ItemIs");
    expect(rules.map((r) => `${r.getAttribute("ItemType")}/${r.getAttribute("FormType")}`)).toEqual([
      "Message/Read",
      "Message/Edit",
      "Appointment/Read",
      "Appointment/Edit",
    ]);
  });

  test("OnMessageSend runs onMessageSendHandler from commands.html (launchevent.js on classic Windows) and never holds mail back", () => {
    const v11 = overridesV11(doc);
    const launch = allElements(doc).find(
      (el) => el.localName === "ExtensionPoint" && xsiType(el) === "LaunchEvent",
    );
    const events = allElements(doc).filter((el) => el.localName === "LaunchEvent");
    expect(events.map((e) => [e.getAttribute("Type"), e.getAttribute("FunctionName")])).toEqual([
      ["OnMessageSend", "onMessageSendHandler"],
    ]);
    // PromptUser: a slow or timed-out handler still leaves the rep "Send Anyway" (SoftBlock would not).
    expect(events[0]?.getAttribute("SendMode")).toBe("PromptUser");

    const runtimeResid = launch && child(launch, "SourceLocation")?.getAttribute("resid");
    const runtime = allElements(doc).find((el) => el.localName === "Runtime");
    expect(runtime?.getAttribute("resid")).toBe(runtimeResid);
    const url = (resid: string | null | undefined) =>
      resourcesOf(v11)
        .find((r) => r.id === resid)
        ?.el.getAttribute("DefaultValue");
    expect(url(runtimeResid)).toBe(`${DEV_ORIGIN}/commands.html`);
    const override = runtime && child(runtime, "Override");
    expect(override?.getAttribute("type")).toBe("javascript");
    expect(url(override?.getAttribute("resid"))).toBe(`${DEV_ORIGIN}/launchevent.js`);
  });

  test("requirement sets: Mailbox 1.5 in the base and the 1.1 overrides, and every manifest feature within what they allow", () => {
    expect(declaredMailbox(doc)).toBe("1.5");
    const v11 = overridesV11(doc);
    const sets = child(child(v11, "Requirements") as Element, "Sets");
    expect(sets?.getAttribute("DefaultMinVersion")).toBe("1.5");
    expect(childElements(sets as Element).map((s) => s.getAttribute("Name"))).toEqual(["Mailbox"]);
    // Pinning (1.5), the mobile form factor and launch events exist only in the 1.1 overrides.
    for (const name of ["SupportsPinning", "MobileFormFactor", "Runtimes", "LaunchEvents"]) {
      const els = allElements(doc).filter((el) => el.localName === name);
      expect(els.length).toBeGreaterThan(0);
      for (const el of els) expect(ancestor(el, "VersionOverrides")).toBe(v11);
    }
    // Each launch event is one this test knows the set of: Outlook raises it only on clients with that set.
    for (const event of allElements(doc).filter((el) => el.localName === "LaunchEvent")) {
      expect(Object.keys(EVENT_VERSIONS)).toContain(event.getAttribute("Type"));
    }
  });

  test("the add-in's code calls nothing newer than Mailbox 1.5 without an isSetSupported check for it", () => {
    const declared = declaredMailbox(doc);
    const gatedBy: Record<string, string> = {};
    for (const event of allElements(doc).filter((el) => el.localName === "LaunchEvent")) {
      gatedBy[event.getAttribute("FunctionName") ?? ""] =
        EVENT_VERSIONS[event.getAttribute("Type") ?? ""] ?? "";
    }
    const files = sourceFiles(path.join(root, "src/addin"));
    expect(files.length).toBeGreaterThan(10);
    const unguarded = files.flatMap((file) =>
      unguardedCalls(path.relative(root, file), readFileSync(file, "utf8"), declared, gatedBy),
    );
    expect(unguarded).toEqual([]);

    // The scan sees the pane's real Office.js calls (so an empty result above means something).
    const seen = files.filter((file) =>
      API_VERSIONS.some(({ pattern }) => pattern.test(readFileSync(file, "utf8"))),
    );
    expect(seen.map((f) => path.relative(root, f))).toContain("src/addin/office/office-mailbox.ts");
  });

  test("the requirement scan flags an unguarded call, and accepts a guard, a comment, or a launch-event-only file", () => {
    const themed = "mailbox.addHandlerAsync(Office.EventType.OfficeThemeChanged, listener);";
    expect(unguardedCalls("a.ts", themed, "1.5", {})).toEqual([
      { file: "a.ts", line: 1, api: "OfficeThemeChanged", needs: "1.14" },
    ]);
    const tooOld = `if (!Office.context.requirements.isSetSupported("Mailbox", "1.13")) return;\n${themed}`;
    expect(unguardedCalls("a.ts", tooOld, "1.5", {})).toHaveLength(1);
    const guarded = `if (!Office.context.requirements.isSetSupported("Mailbox", "1.14")) return;\n${themed}`;
    expect(unguardedCalls("a.ts", guarded, "1.5", {})).toEqual([]);
    expect(unguardedCalls("a.ts", `// ${themed}\n/* ${themed} */`, "1.5", {})).toEqual([]);

    const handler = [
      "function onMessageSendHandler(event) {",
      "  Office.context.mailbox.item.sessionData.getAllAsync(() => event.completed({ allowEvent: true }));",
      "}",
      'Office.actions.associate("onMessageSendHandler", onMessageSendHandler);',
    ].join("\n");
    expect(unguardedCalls("launchevent.ts", handler, "1.5", { onMessageSendHandler: "1.12" })).toEqual([]);
    // The same code in a file that also serves a ribbon command runs on any 1.5 client.
    const shared = `${handler}\nOffice.actions.associate("logToRapport", logToRapport);`;
    expect(
      unguardedCalls("commands.ts", shared, "1.5", { onMessageSendHandler: "1.12" }).map((u) => u.api),
    ).toEqual(["sessionData", "OnMessageSend (event.completed({ allowEvent }))"]);
  });
});

describe("the origin", () => {
  test("parseOrigin keeps https://host[:port] and refuses anything else, saying why", () => {
    expect(parseOrigin("https://crm.example.com")).toBe("https://crm.example.com");
    expect(parseOrigin(" https://CRM.Example.com/ ")).toBe("https://crm.example.com");
    expect(parseOrigin("https://crm.example.com:8443")).toBe("https://crm.example.com:8443");
    expect(parseOrigin("https://crm.example.com:443")).toBe("https://crm.example.com");
    expect(() => parseOrigin("http://x")).toThrow(/"http:\/\/x" is not https/);
    expect(() => parseOrigin("https://x.example/path")).toThrow(/has a path \("\/path"\)/);
    expect(() => parseOrigin("https://x.example/?a=1")).toThrow(/has a path \("\?a=1"\)/);
    expect(() => parseOrigin("https://x.example/#top")).toThrow(/has a path/);
    expect(() => parseOrigin("https://me:secret@x.example")).toThrow(/credentials/);
    expect(() => parseOrigin("crm.example.com")).toThrow(/is not a URL/);
    expect(() => parseOrigin("")).toThrow(/origin is missing/);
    expect(() => parseOrigin(true)).toThrow(/origin is missing/);
  });

  test("manifestForOrigin moves every development URL, comments included, and nothing else", () => {
    expect(BUILT).not.toContain("localhost");
    expect(BUILT.split(BUILT_ORIGIN).length).toBe(SOURCE.split(DEV_ORIGIN).length);
    expect(BUILT.replaceAll(BUILT_ORIGIN, DEV_ORIGIN)).toBe(SOURCE);
    expect(manifestForOrigin(SOURCE, DEV_ORIGIN)).toBe(SOURCE);
    expect(manifestForOrigin("https://localhost:30001/x https://localhost:3000/y", BUILT_ORIGIN)).toBe(
      "https://localhost:30001/x https://crm.example.com/y",
    );
    expect(() => manifestForOrigin(SOURCE, "http://x")).toThrow(/not https/);
  });
});

describe("npm run build -- --env origin=…", () => {
  let outDir: string;
  let stats: Stats;
  beforeAll(() => {
    outDir = mkdtempSync(path.join(os.tmpdir(), "rapport-build-"));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test("writes dist/manifest.xml for that origin only, and the icons it names beside it", async () => {
    const config = webpackConfig({ origin: BUILT_ORIGIN });
    // The shipped configuration, minified as it ships (the first load's budget below measures it), minus the
    // source maps, which only cost time here.
    stats = await build({ ...config, devtool: false, output: { ...config.output, path: outDir } });
    const emitted = readFileSync(path.join(outDir, "manifest.xml"), "utf8");
    expect(emitted).toBe(BUILT);
    expect(emitted).not.toContain("localhost");
    expectUrlsOn(emitted, BUILT_ORIGIN);
    for (const image of allElements(parseXml(emitted)).filter(
      (el) => el.localName === "Image" && el.hasAttribute("DefaultValue"),
    )) {
      const name = new URL(image.getAttribute("DefaultValue") ?? "").pathname.slice(1);
      expect(readFileSync(path.join(outDir, name))).toEqual(readFileSync(path.join(root, name)));
    }
    expect(readdirSync(outDir)).toEqual(
      expect.arrayContaining([
        "taskpane.html",
        "commands.html",
        "auth-dialog.html",
        "account-sign-in.html",
        "help.html",
        "launchevent.js",
        "assets",
      ]),
    );
    // Classic Outlook on Windows runs launchevent.js as one ES2016 file: no newer syntax, no chunk to fetch.
    const launchEvent = readFileSync(path.join(outDir, "launchevent.js"), "utf8");
    expect(() => parseScript(launchEvent, { ecmaVersion: 2016 })).not.toThrow();
    expect(launchEvent).toContain("onMessageSendHandler");
    expect(launchEvent).not.toMatch(/\bimport\(|__webpack_require__\.e\(/);
  }, 300_000);

  test(`the task pane's first load is at most ${PANE_FIRST_LOAD_BUDGET_KB} KB gzipped`, () => {
    const { taskpane } = bundleReports(stats, outDir, ["taskpane"]);
    // A failure prints the KB measured, so it says by how much a change went over.
    expect(taskpane.initial.gzip / 1024).toBeLessThanOrEqual(PANE_FIRST_LOAD_BUDGET_KB);
  });

  test("the pane's first load holds the profile and leaves the forms, Today, settings, the controls and the sign-in to their chunks", () => {
    const modules =
      bundleReports(stats, outDir, ["taskpane"], { modules: true }).taskpane.initialModules ?? [];
    expect(modules).toEqual(
      expect.arrayContaining([
        "src/addin/taskpane/components/ContactProfileView.tsx",
        "src/addin/taskpane/components/Timeline.tsx",
        expect.stringMatching(/^node_modules\/react-dom\//),
      ]),
    );
    expect(modules.filter((name) => NOT_IN_FIRST_LOAD.includes(name))).toEqual([]);
    // Nor the Fluent components only those parts use: the dropdown, the menu, the switch, the tabs.
    expect(
      modules.filter((name) =>
        /node_modules\/(.*\/)?@fluentui\/react-(combobox|menu|switch|tabs|positioning)\//.test(name),
      ),
    ).toEqual([]);
  });

  test("the commands page (the ribbon's Log to Rapport and on-send) loads no React, Fluent UI or pane code", () => {
    const commands = modulesLoadedBy(stats, "commands");
    expect(commands).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/src\/addin\/commands\/index\.ts$/)]),
    );
    expect(commands.filter((name) => REACT_OR_PANE.test(name))).toEqual([]);
    // Nor does the sign-in dialog of Rapport's own accounts: a small page Outlook opens on a click.
    const dialog = modulesLoadedBy(stats, "account-sign-in");
    expect(dialog).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/src\/addin\/auth\/account-dialog-page\.ts$/)]),
    );
    expect(dialog.filter((name) => REACT_OR_PANE.test(name))).toEqual([]);
    // The same reading of the pane's bundle finds them, so the check above can fail.
    const pane = modulesLoadedBy(stats, "taskpane").filter((name) => REACT_OR_PANE.test(name));
    expect(pane).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/node_modules\/react-dom\//),
        expect.stringMatching(/\/node_modules\/@fluentui\//),
        expect.stringMatching(/\/src\/addin\/taskpane\/services\.tsx$/),
      ]),
    );
  });

  test("its pages run in Chromium under the script policy the server sends them with, without a violation", async () => {
    if (!browserAvailable("The built pages' script policy in Chromium")) return;
    const server = await startTestServer("pglite", {
      addinFiles: { root: outDir, frameAncestors: DEFAULT_FRAME_ANCESTORS },
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    try {
      const page = await browser.newPage();
      // No network here: the CDN's files are the ones npm installed with @microsoft/office-js.
      const officeJs = path.join(root, "node_modules/@microsoft/office-js/dist");
      await page.route(`${OFFICE_JS_ORIGIN}/lib/1/hosted/**`, async (route) => {
        const file = path.join(
          officeJs,
          new URL(route.request().url()).pathname.replace("/lib/1/hosted/", ""),
        );
        if (existsSync(file)) await route.fulfill({ path: file, contentType: "text/javascript" });
        else await route.fulfill({ status: 404 });
      });
      const violations: string[] = [];
      await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
      await page.addInitScript(() =>
        document.addEventListener("securitypolicyviolation", (event) =>
          (window as unknown as { reportViolation(text: string): void }).reportViolation(
            `${location.pathname}: ${event.violatedDirective} ${event.blockedURI}`,
          ),
        ),
      );
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));

      await page.goto(`${server.baseUrl}/taskpane.html`);
      await page
        .getByText("This is Rapport's Outlook task pane: open it from Outlook.", { exact: false })
        .waitFor();
      await page.goto(`${server.baseUrl}/commands.html`);
      await page.waitForFunction(() => typeof (globalThis as { Office?: unknown }).Office !== "undefined");
      await page.waitForLoadState("networkidle");
      // The sign-in dialog loads Office.js itself (the preview frames it without), in the language it is asked for.
      await page.goto(`${server.baseUrl}/account-sign-in.html?address=rita%40contoso.example&lang=sv-SE`);
      await page.getByRole("heading", { name: "Logga in i Rapport" }).waitFor();
      await page.waitForFunction(() => typeof (globalThis as { Office?: unknown }).Office !== "undefined");
      expect(await page.getByLabel("E-postadress").inputValue()).toBe("rita@contoso.example");
      await page.goto(`${server.baseUrl}/app/deals`);
      await page.getByRole("heading", { name: "Sign in to Rapport" }).waitFor();
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
    // Five pages, two of them React, on a machine that may be busy: time enough, not a speed check.
  }, 180_000);

  test.each([
    ["http://x", /"http:\/\/x" is not https: Outlook loads add-ins over HTTPS only/],
    ["https://x.example/path", /"https:\/\/x\.example\/path" has a path \("\/path"\)/],
  ])("refuses the origin %s before compiling, with a message that says why", (origin, message) => {
    expect(() => webpackConfig({ origin })).toThrow(message);
  });

  test("defaults to the dev server's origin", () => {
    const plugins = webpackConfig({}).plugins ?? [];
    const manifestPlugin = plugins.find((p) => p?.constructor.name === "OutlookManifestPlugin") as
      { origin: string } | undefined;
    expect(manifestPlugin?.origin).toBe(`https://localhost:${process.env.ADDIN_PORT ?? 3000}`);
  });
});
