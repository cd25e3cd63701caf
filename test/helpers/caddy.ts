import { type ChildProcess, spawn } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import path from "node:path";
import { connect as tlsConnect, type PeerCertificate } from "node:tls";

export const CADDY = process.env.CADDY_PATH ?? "/usr/bin/caddy";

/** The Caddyfile docs/deploy.md shows, run as it is by the deployment test. */
export const CADDYFILE = path.resolve(__dirname, "../../deploy/Caddyfile");

export interface Caddy {
  /** Caddy's internal root certificate (PEM), the only trust the test's requests and browser are given. */
  rootCa: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `caddy run` on the repository's Caddyfile, as a child of the test: no system service, no admin endpoint, its
 * storage (and so its internal CA) under `home`. Resolves once its root certificate exists and `readyUrl`
 * answers through it with a verified certificate.
 */
export async function startCaddy(options: {
  home: string;
  env: NodeJS.ProcessEnv;
  readyUrl: string;
}): Promise<Caddy> {
  const child: ChildProcess = spawn(CADDY, ["run", "--config", CADDYFILE, "--adapter", "caddyfile"], {
    env: {
      PATH: process.env.PATH,
      HOME: options.home,
      XDG_DATA_HOME: path.join(options.home, "data"),
      XDG_CONFIG_HOME: path.join(options.home, "config"),
      CADDY_ADMIN: "off",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const rootFile = path.join(options.home, "data/caddy/pki/authorities/local/root.crt");
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`caddy exited (${child.exitCode}):\n${output}`);
    if (existsSync(rootFile)) {
      const rootCa = readFileSync(rootFile, "utf8");
      const answer = await getOverHttps(options.readyUrl, rootCa).catch(() => null);
      if (answer?.status === 200) return { rootCa, output: () => output, stop };
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`caddy did not answer ${options.readyUrl}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * `*.localhost` is the loopback (RFC 6761): Chromium resolves it so itself, this machine's resolver does not.
 * The connection goes to 127.0.0.1 and the name is still the one sent (SNI, Host) and verified.
 */
function loopbackFor(url: URL): { host: string; servername?: string; headers?: Record<string, string> } {
  return url.hostname.endsWith(".localhost")
    ? { host: "127.0.0.1", servername: url.hostname, headers: { host: url.host } }
    : { host: url.hostname };
}

/** One GET over HTTPS whose certificate must chain to `ca` and name the URL's host: no other trust. */
export function getOverHttps(target: string, ca: string): Promise<HttpsAnswer> {
  return requestOverHttps(target, ca);
}

/** A request over HTTPS, verified as getOverHttps's; the answer whatever its status. */
export function requestOverHttps(
  target: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpsAnswer> {
  const url = new URL(target);
  const { headers, ...connection } = loopbackFor(url);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        ...connection,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: init.method ?? "GET",
        headers: { ...headers, ...init.headers },
        ca,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(init.body);
  });
}

/** One GET over plain HTTP, redirects not followed. */
export function getOverHttp(target: string): Promise<HttpsAnswer> {
  const url = new URL(target);
  return new Promise((resolve, reject) => {
    const { host, headers } = loopbackFor(url);
    const request = httpRequest(
      { host, headers, port: url.port, path: `${url.pathname}${url.search}`, agent: false },
      (response) => {
        response.resume();
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.alloc(0) }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/**
 * The SPKI pins (base64 SHA-256 of each certificate's public key) of the chain `origin` presents, once that
 * chain has been verified against `ca`: what Chromium's --ignore-certificate-errors-spki-list accepts, so the
 * browser trusts this one CA's certificates and nothing else.
 */
export function spkiPinsOf(origin: string, ca: string): Promise<string[]> {
  const url = new URL(origin);
  const { host, servername } = loopbackFor(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host, servername: servername ?? url.hostname, port: Number(url.port || 443), ca },
      () => {
        const pins: string[] = [];
        const seen = new Set<string>();
        for (
          let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
          cert?.raw && !seen.has(cert.fingerprint256);
          cert = (cert as { issuerCertificate?: PeerCertificate }).issuerCertificate
        ) {
          seen.add(cert.fingerprint256);
          const spki = new X509Certificate(cert.raw).publicKey.export({ type: "spki", format: "der" });
          pins.push(createHash("sha256").update(spki).digest("base64"));
        }
        socket.end();
        resolve(pins);
      },
    );
    socket.on("error", reject);
  });
}

/**
 * Whether this machine can run the deployment suite: Chromium, Caddy and PostgreSQL. Where it cannot, the suite
 * says so plainly; under RAPPORT_REQUIRE_ALL_SUITES=1 (CI) a skip is an error instead.
 */
export function deploymentAvailable(suite: string, chromium: string): boolean {
  const missing = [
    existsSync(chromium)
      ? null
      : `no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`,
    existsSync(CADDY) ? null : `no Caddy at ${CADDY} (apt-get install caddy, or set CADDY_PATH)`,
    process.env.RAPPORT_TEST_POSTGRES === "available"
      ? null
      : `no PostgreSQL (${(process.env.RAPPORT_TEST_POSTGRES ?? "global setup did not run").replace(/^unavailable: /, "")})`,
  ].filter((reason): reason is string => reason !== null);
  if (missing.length === 0) return true;
  const reason = `${suite} SKIPPED: ${missing.join("; ")}.`;
  if (process.env.RAPPORT_REQUIRE_ALL_SUITES === "1")
    throw new Error(`${reason} RAPPORT_REQUIRE_ALL_SUITES=1 forbids skipping.`);
  console.warn(reason);
  return false;
}
