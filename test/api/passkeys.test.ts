import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import { PasskeyList, Passkey, SessionTokens, WebAuthnOptions } from "../../src/shared/accounts";
import type { Problem } from "../../src/shared/errors";
import { Me } from "../../src/shared/routes";
import { createFirstAdmin } from "../../src/server/accounts/first-admin";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const ORIGIN = "https://crm.example.com";
const b64 = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

/**
 * A software authenticator: an ES256 key pair per credential, attestation "none", user present and verified, a
 * signature counter. What a browser's platform authenticator hands the page, as PublicKeyCredential.toJSON() writes it.
 */
class SoftwareAuthenticator {
  private readonly keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  readonly credentialId = randomBytes(16);
  private counter = 0;

  constructor(private readonly rpId: string) {}

  private authData(attested: boolean): Buffer {
    const flags = 0x01 | 0x04 | (attested ? 0x40 : 0);
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const parts = [sha256(this.rpId), Buffer.from([flags]), counter];
    if (attested) {
      const jwk = this.keys.publicKey.export({ format: "jwk" });
      const cose = isoCBOR.encode(
        new Map<number, number | Uint8Array>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x ?? "", "base64url")],
          [-3, Buffer.from(jwk.y ?? "", "base64url")],
        ]),
      );
      const length = Buffer.alloc(2);
      length.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), length, this.credentialId, Buffer.from(cose));
    }
    return Buffer.concat(parts);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  register(challenge: string, origin = ORIGIN) {
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", this.authData(true)],
      ]) as never,
    );
    return {
      id: b64(this.credentialId),
      rawId: b64(this.credentialId),
      type: "public-key",
      response: {
        clientDataJSON: b64(this.clientData("webauthn.create", challenge, origin)),
        attestationObject: b64(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  authenticate(challenge: string, origin = ORIGIN) {
    this.counter += 1;
    const authenticatorData = this.authData(false);
    const clientData = this.clientData("webauthn.get", challenge, origin);
    const signature = sign(
      "sha256",
      Buffer.concat([authenticatorData, sha256(clientData)]),
      this.keys.privateKey,
    );
    return {
      id: b64(this.credentialId),
      rawId: b64(this.credentialId),
      type: "public-key",
      response: {
        clientDataJSON: b64(clientData),
        authenticatorData: b64(authenticatorData),
        signature: b64(signature),
      },
      clientExtensionResults: {},
    };
  }
}

describe.each(storeKinds)("passkeys (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { publicUrl: ORIGIN });
  });
  afterAll(() => server.close());

  const send = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    server.request(method, path, options);
  const code = (response: { body: unknown }) => (response.body as Problem).code;

  it("registers a passkey, signs in with it, refuses a replay, a stranger's key and another origin", async () => {
    const lead = await server.token("lead@passkey.example");
    const me = parse(Me, await send("GET", "/api/v1/me", { token: lead }));
    const authenticator = new SoftwareAuthenticator("crm.example.com");

    const creation = parse(
      WebAuthnOptions,
      await send("POST", "/api/v1/account/passkeys/options", { token: lead }),
    );
    expect(creation).toMatchObject({ rp: { id: "crm.example.com" } });
    const registered = await send("POST", "/api/v1/account/passkeys", {
      token: lead,
      body: { response: authenticator.register(creation.challenge), name: "Laptop" },
    });
    expect(registered.status).toBe(201);
    expect(parse(Passkey, registered).name).toBe("Laptop");
    // The challenge was used.
    expect(
      (
        await send("POST", "/api/v1/account/passkeys", {
          token: lead,
          body: { response: authenticator.register(creation.challenge) },
        })
      ).status,
    ).toBe(400);

    const request = parse(WebAuthnOptions, await send("POST", "/api/v1/account/passkey-sign-in/options"));
    const assertion = authenticator.authenticate(request.challenge);
    const signedIn = parse(
      SessionTokens,
      await send("POST", "/api/v1/account/passkey-sign-in", { body: { response: assertion } }),
    );
    const who = parse(Me, await send("GET", "/api/v1/me", { token: signedIn.accessToken }));
    expect(who.user.id).toBe(me.user.id);

    // The same assertion again (its challenge is used up), a key that was never registered, another origin.
    const replay = await send("POST", "/api/v1/account/passkey-sign-in", { body: { response: assertion } });
    expect([replay.status, code(replay)]).toEqual([401, "invalid_credentials"]);
    const stranger = new SoftwareAuthenticator("crm.example.com");
    const fresh = parse(WebAuthnOptions, await send("POST", "/api/v1/account/passkey-sign-in/options"));
    const unknown = await send("POST", "/api/v1/account/passkey-sign-in", {
      body: { response: stranger.authenticate(fresh.challenge) },
    });
    expect([unknown.status, code(unknown)]).toEqual([401, "invalid_credentials"]);
    const phishing = parse(WebAuthnOptions, await send("POST", "/api/v1/account/passkey-sign-in/options"));
    const elsewhere = await send("POST", "/api/v1/account/passkey-sign-in", {
      body: { response: authenticator.authenticate(phishing.challenge, "https://crm.example.evil") },
    });
    expect([elsewhere.status, code(elsewhere)]).toEqual([401, "invalid_credentials"]);

    // Listed, removed, and then no longer a way in.
    const listed = parse(PasskeyList, await send("GET", "/api/v1/account/passkeys", { token: lead }));
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]?.lastUsedAt).not.toBeNull();
    expect(
      (await send("DELETE", `/api/v1/account/passkeys/${listed.items[0]?.id}`, { token: lead })).status,
    ).toBe(200);
    const after = parse(WebAuthnOptions, await send("POST", "/api/v1/account/passkey-sign-in/options"));
    expect(
      (
        await send("POST", "/api/v1/account/passkey-sign-in", {
          body: { response: authenticator.authenticate(after.challenge) },
        })
      ).status,
    ).toBe(401);
    const audited = await server.database.db
      .selectFrom("audit_events")
      .select("action")
      .where("entity_id", "=", me.user.id)
      .where("action", "in", [
        "passkey.registered",
        "passkey.removed",
        "account.signed_in",
        "account.sign_in_failed",
      ])
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual([
      "account.sign_in_failed",
      "account.signed_in",
      "passkey.registered",
      "passkey.removed",
    ]);
  });

  it("asks a user with a password for it before adding a passkey: a copied access token adds no lasting way in", async () => {
    const first = await createFirstAdmin(server.database.db, {
      email: "owner@passkey-password.example",
      org: "passkey-password.example",
      linkBase: ORIGIN,
    });
    const password = "correct horse battery staple";
    const session = parse(
      SessionTokens,
      await send("POST", "/api/v1/invitations/accept", {
        body: { token: new URL(first.link).hash.replace(/^#token=/, ""), password },
      }),
    );
    const token = session.accessToken;
    const authenticator = new SoftwareAuthenticator("crm.example.com");
    const register = async (extra: Record<string, unknown>) => {
      const options = parse(
        WebAuthnOptions,
        await send("POST", "/api/v1/account/passkeys/options", { token }),
      );
      return send("POST", "/api/v1/account/passkeys", {
        token,
        body: { response: authenticator.register(options.challenge), ...extra },
      });
    };
    const without = await register({});
    expect([without.status, code(without)]).toEqual([400, "invalid_request"]);
    const wrong = await register({ currentPassword: "not the password at all" });
    expect([wrong.status, code(wrong)]).toEqual([401, "invalid_credentials"]);
    const listed = parse(PasskeyList, await send("GET", "/api/v1/account/passkeys", { token }));
    expect(listed.items).toHaveLength(0);
    expect((await register({ currentPassword: password, name: "Phone" })).status).toBe(201);
  });
});
