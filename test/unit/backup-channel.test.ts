import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { CHANNEL_FILE, openBackupChannel, requestSnapshot } from "../../src/server/db/backup-channel";

describe("the running server's backup channel", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-channel-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("hands the snapshot only to whoever can read the secret in the data directory", async () => {
    const channel = await openBackupChannel(dir, async () => new Blob(["the store"]));
    try {
      const file = path.join(dir, CHANNEL_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { port, secret } = JSON.parse(readFileSync(file, "utf8")) as { port: number; secret: string };
      expect(secret).toMatch(/^[0-9a-f]{64}$/);

      const nonce = "ab".repeat(32);
      const ask = (authorization?: string) =>
        fetch(`http://127.0.0.1:${port}/snapshot`, {
          method: "POST",
          headers: authorization ? { authorization, "x-rapport-nonce": nonce } : { "x-rapport-nonce": nonce },
        });
      expect((await ask()).status).toBe(401);
      expect((await ask(`Bearer ${secret.replace(/.$/, (c) => (c === "0" ? "1" : "0"))}`)).status).toBe(401);
      const answered = await ask(`Bearer ${secret}`);
      expect(answered.status).toBe(200);
      expect(await answered.text()).toBe("the store");

      // Loopback only: the listener is not on the machine's other addresses.
      const outside = Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a && a.family === "IPv4" && !a.internal);
      if (outside)
        await expect(
          fetch(`http://${outside.address}:${port}/snapshot`, { method: "POST" }),
        ).rejects.toThrow();

      const taken = await requestSnapshot(dir);
      expect(taken?.tar.toString()).toBe("the store");
      expect(taken?.pid).toBe(process.pid);
    } finally {
      await channel.stop();
    }
    expect(existsSync(path.join(dir, CHANNEL_FILE))).toBe(false);
    expect(await requestSnapshot(dir)).toBeNull();
  });

  it("takes no snapshot from whatever listens on the port now if it cannot prove it holds the secret", async () => {
    // The server that wrote the file is gone (here, its pid is a live one: pids are reused) and another local
    // user listens on its port, answering as the channel would, with a tar of their own.
    const impostor = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/x-tar" }).end("someone else's store");
    });
    await new Promise<void>((resolve) => impostor.listen(0, "127.0.0.1", resolve));
    try {
      const port = (impostor.address() as AddressInfo).port;
      writeFileSync(
        path.join(dir, CHANNEL_FILE),
        JSON.stringify({ pid: process.pid, port, secret: "cd".repeat(32) }),
        { mode: 0o600 },
      );
      await expect(requestSnapshot(dir)).rejects.toThrow(/is not the server \(pid \d+\) that wrote/);
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
  });

  it("answers a failed snapshot with 500 and still takes the next one", async () => {
    let calls = 0;
    const channel = await openBackupChannel(dir, async () => {
      calls++;
      if (calls === 1) throw new Error("the store is closing");
      return new Blob(["second try"]);
    });
    try {
      await expect(requestSnapshot(dir)).rejects.toThrow(
        /refused the snapshot: 500 Error: the store is closing/,
      );
      expect((await requestSnapshot(dir))?.tar.toString()).toBe("second try");
    } finally {
      await channel.stop();
    }
  });
});
