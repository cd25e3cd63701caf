import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { isAlive } from "./store-lock";

/**
 * How `npm run backup` reaches a running server that holds the embedded store. PGlite is one process's: while a
 * server runs, no other process may open the store, so the server takes the snapshot itself and hands it over.
 *
 * The channel is its own HTTP listener on 127.0.0.1 and a random port, never the API's port: a reverse proxy on
 * the same machine forwards the world's requests from 127.0.0.1 to the API, and must not reach this. Its port and
 * a 256-bit secret are in a file in the data directory that only the store's owner can read (0600); a request
 * without the secret gets 401 and nothing else.
 *
 * The server proves the snapshot is its own: an HMAC, under the secret, of the request's nonce and the snapshot.
 * A server that died without removing the file leaves its port to anyone on the machine, and whoever listens
 * there next would otherwise have their archive written as the backup (and restored one day).
 */
export const CHANNEL_FILE = "backup-channel.json";

const NONCE = /^[0-9a-f]{64}$/;
const proofOf = (secret: string, nonce: string, tar: Buffer) =>
  createHmac("sha256", secret).update(`${nonce}\n`).update(tar).digest();

interface ChannelFile {
  pid: number;
  port: number;
  secret: string;
}

export interface BackupChannel {
  stop(): Promise<void>;
}

export async function openBackupChannel(
  dataDir: string,
  snapshot: () => Promise<Blob>,
): Promise<BackupChannel> {
  const secret = randomBytes(32).toString("hex");
  const expected = Buffer.from(`Bearer ${secret}`);
  // One snapshot at a time: each holds the whole store in memory until it is sent.
  let busy: Promise<void> = Promise.resolve();
  /** Never rejects: a failure is this request's answer, and the next request still gets its turn. */
  const send = async (response: ServerResponse, nonce: string) => {
    try {
      const tar = Buffer.from(await (await snapshot()).arrayBuffer());
      response.writeHead(200, {
        "content-type": "application/x-tar",
        "content-length": tar.length,
        "x-rapport-proof": proofOf(secret, nonce, tar).toString("hex"),
      });
      response.end(tar);
    } catch (error) {
      if (response.headersSent) response.destroy();
      else response.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  };
  const server: Server = createServer((request, response) => {
    const given = Buffer.from(request.headers.authorization ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.writeHead(401).end();
      return;
    }
    if (request.method !== "POST" || request.url !== "/snapshot") {
      response.writeHead(404).end();
      return;
    }
    const nonce = request.headers["x-rapport-nonce"];
    if (typeof nonce !== "string" || !NONCE.test(nonce)) {
      response.writeHead(400, { "content-type": "text/plain" }).end("x-rapport-nonce: 64 hex digits");
      return;
    }
    busy = busy.then(() => send(response, nonce));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const file = path.join(dataDir, CHANNEL_FILE);
  const content: ChannelFile = { pid: process.pid, port: (server.address() as AddressInfo).port, secret };
  // Written whole under another name with its permissions from the start, then renamed: never readable by others,
  // never half there.
  const next = `${file}.${process.pid}`;
  writeFileSync(next, JSON.stringify(content), { mode: 0o600 });
  renameSync(next, file);
  return {
    async stop() {
      if (readChannelFile(dataDir)?.pid === process.pid) rmSync(file, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readChannelFile(dataDir: string): ChannelFile | null {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dataDir, CHANNEL_FILE), "utf8")) as Partial<ChannelFile>;
    if (
      typeof parsed.port !== "number" ||
      typeof parsed.secret !== "string" ||
      typeof parsed.pid !== "number"
    )
      return null;
    return parsed as ChannelFile;
  } catch {
    return null;
  }
}

/**
 * Asks the server that holds the store for a snapshot. Null when no server answers (none runs, or the one that
 * wrote the channel file died): the caller may then open the store itself.
 */
export async function requestSnapshot(dataDir: string): Promise<{ tar: Buffer; pid: number } | null> {
  const channel = readChannelFile(dataDir);
  // A file its server left behind when it died: its port may be another program's by now.
  if (!channel || !isAlive(channel.pid)) return null;
  const nonce = randomBytes(32).toString("hex");
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${channel.port}/snapshot`, {
      method: "POST",
      headers: { authorization: `Bearer ${channel.secret}`, "x-rapport-nonce": nonce },
    });
  } catch {
    return null;
  }
  if (!response.ok || response.headers.get("content-type") !== "application/x-tar")
    throw new Error(
      `The running server (pid ${channel.pid}) refused the snapshot: ${response.status} ${await response.text()}`,
    );
  const tar = Buffer.from(await response.arrayBuffer());
  const proof = Buffer.from(response.headers.get("x-rapport-proof") ?? "", "hex");
  const expected = proofOf(channel.secret, nonce, tar);
  if (proof.length !== expected.length || !timingSafeEqual(proof, expected))
    throw new Error(
      `What answers on port ${channel.port} is not the server (pid ${channel.pid}) that wrote ${CHANNEL_FILE}: its snapshot is not taken. If that server is gone, remove the file and run the backup again.`,
    );
  return { tar, pid: channel.pid };
}
