import { readFileSync } from "node:fs";
import path from "node:path";
import { type JWK, SignJWT, exportJWK, exportSPKI, generateKeyPair, importJWK } from "jose";
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from "../../src/server/auth/local-issuer";
import { Problem } from "../../src/shared/errors";
import { Me } from "../../src/shared/routes";
import { type Response, type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * Hostile tokens against a protected route: each is refused with 401 and a problem naming why, and none of them
 * provisions an organisation or a user. A valid token is the control.
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const b64bytes = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

describe.each(storeKinds)("hostile tokens (%s)", (kind) => {
  let server: TestServer;
  let key: StoredKey;
  let privateKey: CryptoKey;
  let valid: string;
  let sent = 0;

  /** The claims the local issuer writes for a user of contoso.example. */
  const claims = (email = "mallory@contoso.example") => ({
    tid: "local:contoso.example",
    oid: `local:${email}`,
    email,
    preferred_username: email,
    name: "Mallory",
    scp: "access_as_user",
  });

  /** A token signed with the local issuer's own private key, changed in one way by `edit`. */
  const signed = (
    edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt,
    payload: Record<string, unknown> = claims(),
    header: Record<string, unknown> = {},
  ) =>
    edit(
      new SignJWT(payload)
        .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT", ...header })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("1h"),
    ).sign(privateKey);

  beforeAll(async () => {
    server = await startTestServer(kind);
    // The local issuer keeps its key pair in the data directory (local-issuer.ts): the attacker's view of the
    // public half is exactly this JWK.
    key = JSON.parse(readFileSync(path.join(server.dataDir, "local-issuer-key.json"), "utf8")) as StoredKey;
    privateKey = (await importJWK(key.privateJwk, "ES256")) as CryptoKey;
    valid = await server.token("admin@contoso.example");
    // The organisation exists, so a token that got through would only add a user: the counts would show it.
    expect((await me(valid)).status).toBe(200);
  });
  afterAll(async () => {
    console.log(`hostile tokens (${kind}): ${sent} requests`);
    await server?.close();
  });

  const me = (token: string, scheme = "Bearer") =>
    server.request("GET", "/api/v1/me", { headers: { authorization: `${scheme} ${token}` } }).finally(() => {
      sent++;
    });

  /** Signed by the issuer's key, with everything but an expiry (unless `extra` brings one). */
  const noExpiry = (extra: Record<string, unknown> = {}) =>
    new SignJWT({ ...claims(), ...extra })
      .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .sign(privateKey);

  /** Signed by the issuer's key, with one of the registered claims left out. */
  const withoutClaim = async (claim: "aud" | "iss") => {
    let jwt = new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime("1h");
    if (claim !== "aud") jwt = jwt.setAudience(LOCAL_AUDIENCE);
    if (claim !== "iss") jwt = jwt.setIssuer(LOCAL_ISSUER);
    return jwt.sign(privateKey);
  };

  const counts = async () => {
    const count = async (table: "organizations" | "users") =>
      Number(
        (
          await server.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { organizations: await count("organizations"), users: await count("users") };
  };

  const expectRefused = (what: string, response: Response, status: number, code: string) => {
    const problem = Problem.safeParse(response.body);
    expect({
      what,
      status: response.status,
      code: problem.success ? problem.data.code : response.body,
      type: response.headers.get("content-type")?.split(";")[0],
    }).toEqual({ what, status, code, type: "application/problem+json" });
    if (status === 401) expect(response.headers.get("www-authenticate")).toContain("Bearer");
  };

  it("accepts a valid token (the control)", async () => {
    const response = await me(valid);
    expect(response.status).toBe(200);
    expect(parse(Me, response).user.email).toBe("admin@contoso.example");
    const lowerCase = await me(valid, "bearer");
    expect(lowerCase.status).toBe(200);
  });

  it("refuses unsigned tokens (alg: none, in every spelling)", async () => {
    const before = await counts();
    const payload = {
      ...claims(),
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    const tokens = ["none", "None", "NONE", "nOnE"].flatMap((alg) => [
      `${b64({ alg, typ: "JWT" })}.${b64(payload)}.`,
      `${b64({ alg, typ: "JWT", kid: key.kid })}.${b64(payload)}.`,
      `${b64({ alg, typ: "JWT" })}.${b64(payload)}`,
      `${b64({ alg, typ: "JWT" })}.${b64(payload)}.${valid.split(".")[2]}`,
    ]);
    tokens.push(
      `${b64({ typ: "JWT" })}.${b64(payload)}.`,
      `${b64({ alg: "", typ: "JWT" })}.${b64(payload)}.`,
    );
    for (const token of tokens)
      expectRefused(`unsigned ${token.slice(0, 40)}`, await me(token), 401, "unauthenticated");
    expect(await counts()).toEqual(before);
  });

  it("refuses HS256 tokens signed with the public key as the HMAC secret (key confusion)", async () => {
    const before = await counts();
    const publicKey = await importJWK(key.publicJwk, "ES256");
    const spki = await exportSPKI(publicKey as CryptoKey);
    const x = Buffer.from(key.publicJwk.x as string, "base64url");
    const y = Buffer.from(key.publicJwk.y as string, "base64url");
    const secrets: [string, Uint8Array][] = [
      ["the public JWK as JSON", new TextEncoder().encode(JSON.stringify(key.publicJwk))],
      [
        "the public JWK with kid, alg and use",
        new TextEncoder().encode(
          JSON.stringify({ ...key.publicJwk, kid: key.kid, alg: "ES256", use: "sig" }),
        ),
      ],
      ["the SPKI PEM", new TextEncoder().encode(spki)],
      ["the SPKI PEM without its newline", new TextEncoder().encode(spki.trim())],
      ["the SPKI DER", Buffer.from(spki.replace(/-----[A-Z ]+-----|\s/g, ""), "base64")],
      ["the raw point", Buffer.concat([Buffer.from([4]), x, y])],
      ["x in base64url", new TextEncoder().encode(key.publicJwk.x as string)],
    ];
    for (const [what, secret] of secrets) {
      for (const alg of ["HS256", "HS384", "HS512"]) {
        const token = await new SignJWT(claims())
          .setProtectedHeader({ alg, kid: key.kid, typ: "JWT" })
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime("1h")
          .sign(secret);
        expectRefused(`${alg} with ${what}`, await me(token), 401, "unauthenticated");
      }
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses expired and not-yet-valid tokens", async () => {
    const before = await counts();
    expectRefused(
      "expired (issuer)",
      await me(
        await server.issuer.sign(
          { email: "old@contoso.example", org: "contoso.example" },
          { expiresIn: "-1m" },
        ),
      ),
      401,
      "token_expired",
    );
    const past = Math.floor(Date.now() / 1000) - 3600;
    expectRefused(
      "expired an hour ago",
      await me(await signed((jwt) => jwt.setIssuedAt(past - 60).setExpirationTime(past))),
      401,
      "token_expired",
    );
    expectRefused(
      "expired at the epoch",
      await me(await signed((jwt) => jwt.setExpirationTime(1))),
      401,
      "token_expired",
    );
    expectRefused(
      "not valid for another hour (nbf)",
      await me(await signed((jwt) => jwt.setNotBefore("1h"))),
      401,
      "unauthenticated",
    );
    expectRefused(
      "not valid for a century (nbf)",
      await me(await signed((jwt) => jwt.setNotBefore("100y"))),
      401,
      "unauthenticated",
    );
    expectRefused("no expiry at all", await me(await noExpiry()), 401, "unauthenticated");
    expectRefused("exp as text", await me(await noExpiry({ exp: "9999999999" })), 401, "unauthenticated");
    expectRefused(
      "nbf as text",
      await me(await signed((jwt) => jwt, { ...claims(), nbf: "0" })),
      401,
      "unauthenticated",
    );
    expect(await counts()).toEqual(before);
  });

  it("refuses the wrong audience, the wrong issuer and an unknown key id", async () => {
    const before = await counts();
    const cases: [string, string][] = [
      ["another audience", await signed((jwt) => jwt.setAudience("api://someone-else"))],
      ["several audiences, none ours", await signed((jwt) => jwt.setAudience(["api://a", "api://b"]))],
      ["an empty audience", await signed((jwt) => jwt.setAudience(""))],
      ["no audience", await withoutClaim("aud")],
      ["another issuer", await signed((jwt) => jwt.setIssuer("urn:evil:issuer"))],
      ["the issuer in another case", await signed((jwt) => jwt.setIssuer(LOCAL_ISSUER.toUpperCase()))],
      [
        "an Entra-looking issuer",
        await signed((jwt) =>
          jwt.setIssuer("https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"),
        ),
      ],
      ["no issuer", await withoutClaim("iss")],
      ["an unknown kid", await signed(undefined, claims(), { kid: "no-such-key" })],
      ["an empty kid", await signed(undefined, claims(), { kid: "" })],
      ["a kid that is a path", await signed(undefined, claims(), { kid: "../../../etc/passwd" })],
    ];
    for (const [what, token] of cases) expectRefused(what, await me(token), 401, "unauthenticated");
    expect(await counts()).toEqual(before);
  });

  it("refuses tokens signed by anyone else, however they point at their key", async () => {
    const before = await counts();
    const attacker = await generateKeyPair("ES256", { extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const rsa = await generateKeyPair("RS256", { extractable: true });
    const forge = (alg: string, header: Record<string, unknown>, signingKey: CryptoKey) =>
      new SignJWT(claims())
        .setProtectedHeader({ alg, typ: "JWT", ...header })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(signingKey);
    const cases: [string, string][] = [
      ["another key under our kid", await forge("ES256", { kid: key.kid }, attacker.privateKey)],
      [
        "another key embedded as jwk",
        await forge("ES256", { kid: key.kid, jwk: attackerJwk }, attacker.privateKey),
      ],
      [
        "another key behind a jku",
        await forge("ES256", { kid: key.kid, jku: "http://127.0.0.1:9/jwks.json" }, attacker.privateKey),
      ],
      [
        "another key behind an x5u",
        await forge("ES256", { kid: key.kid, x5u: "http://127.0.0.1:9/cert.pem" }, attacker.privateKey),
      ],
      ["RS256 with an attacker's RSA key", await forge("RS256", { kid: key.kid }, rsa.privateKey)],
    ];
    for (const [what, token] of cases) expectRefused(what, await me(token), 401, "unauthenticated");
    expect(await counts()).toEqual(before);
  });

  it("refuses tampered tokens: payload, header or signature changed", async () => {
    const before = await counts();
    const [header, payload, signature] = valid.split(".") as [string, string, string];
    const original = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const originalHeader = JSON.parse(Buffer.from(header, "base64url").toString()) as Record<string, unknown>;
    const sig = Buffer.from(signature, "base64url");
    const flipped = Buffer.from(sig);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const cases: [string, string][] = [
      ["another organisation", `${header}.${b64({ ...original, tid: "local:evil.example" })}.${signature}`],
      ["another user", `${header}.${b64({ ...original, oid: "local:root@contoso.example" })}.${signature}`],
      ["a later expiry", `${header}.${b64({ ...original, exp: 9_999_999_999 })}.${signature}`],
      [
        "the same claims re-encoded with spaces",
        `${header}.${Buffer.from(JSON.stringify(original, null, 1)).toString("base64url")}.${signature}`,
      ],
      ["another alg in the header", `${b64({ ...originalHeader, alg: "ES384" })}.${payload}.${signature}`],
      ["another kid in the header", `${b64({ ...originalHeader, kid: "other" })}.${payload}.${signature}`],
      ["b64: false", `${b64({ ...originalHeader, b64: false, crit: ["b64"] })}.${payload}.${signature}`],
      ["an unknown critical header", `${b64({ ...originalHeader, crit: ["exp"] })}.${payload}.${signature}`],
      ["a flipped signature bit", `${header}.${payload}.${b64bytes(flipped)}`],
      ["a truncated signature", `${header}.${payload}.${b64bytes(sig.subarray(0, 32))}`],
      [
        "a DER-looking signature",
        `${header}.${payload}.${b64bytes(Buffer.concat([Buffer.from([0x30, 0x44, 0x02, 0x20]), sig]))}`,
      ],
      ["a zero signature", `${header}.${payload}.${b64bytes(new Uint8Array(64))}`],
      ["no signature", `${header}.${payload}.`],
      ["a padded signature", `${header}.${payload}.${Buffer.from(sig).toString("base64")}`],
      ["an extra part", `${valid}.${signature}`],
      ["a JWE-shaped token", `${header}.${payload}.${signature}.AAAA.BBBB`],
    ];
    for (const [what, token] of cases) expectRefused(what, await me(token), 401, "unauthenticated");
    expect(await counts()).toEqual(before);
  });

  it("refuses garbage and oversized tokens", async () => {
    const before = await counts();
    const cases: [string, string][] = [
      ["a word", "garbage"],
      ["three dots", "..."],
      ["empty parts", ".."],
      ["base64 of nothing", "e30.e30.e30"],
      ["JSON instead of base64", '{"alg":"none"}.{}.'],
      ["a header that is not JSON", `${Buffer.from("not json").toString("base64url")}.${b64(claims())}.`],
      ["a header that is an array", `${b64(["ES256"])}.${b64(claims())}.`],
      ["a payload that is an array", `${b64({ alg: "ES256", kid: key.kid })}.${b64([claims()])}.AAAA`],
      ["a payload that is a string", `${b64({ alg: "ES256", kid: key.kid })}.${b64("x")}.AAAA`],
      ["a payload that is null", `${b64({ alg: "ES256", kid: key.kid })}.${b64(null)}.AAAA`],
      ["latin-1 bytes", "\u00e9\u00ff.\u00e9.\u00e9"],
      [
        "a header with __proto__",
        `${Buffer.from('{"alg":"ES256","__proto__":{"alg":"none"}}').toString("base64url")}.${b64(claims())}.AAAA`,
      ],
      [
        "a payload with __proto__",
        `${valid.split(".")[0]}.${Buffer.from(`{"__proto__":{"tid":"x"},"iss":"${LOCAL_ISSUER}"}`).toString("base64url")}.AAAA`,
      ],
      ["15 KB of garbage", "a".repeat(15_000)],
      ["a 15 KB JWT-shaped token", `${b64({ alg: "ES256", kid: key.kid })}.${"A".repeat(15_000)}.AAAA`],
    ];
    for (const [what, token] of cases) expectRefused(what, await me(token), 401, "unauthenticated");
    // Validly signed, but carrying 8 KB of name: the claims' bounds refuse it.
    const bloated = await signed(undefined, { ...claims(), name: "N".repeat(8_000) });
    expect(bloated.length).toBeGreaterThan(10_000);
    expectRefused("a signed 11 KB token", await me(bloated), 401, "unauthenticated");
    // 100 KB: over Node's 16 KB header limit, so the HTTP parser refuses it (431) before Rapport sees it.
    const huge = await me(`${b64({ alg: "ES256", kid: key.kid })}.${"A".repeat(100_000)}.AAAA`);
    expect(huge.status).toBe(431);
    const signedHuge = await signed(undefined, { ...claims(), name: "N".repeat(100_000) });
    expect((await me(signedHuge)).status).toBe(431);
    // Not a bearer token at all.
    expectRefused(
      "Basic credentials",
      await me(Buffer.from("admin:admin").toString("base64"), "Basic"),
      401,
      "unauthenticated",
    );
    expectRefused("an empty bearer", await me("", "Bearer"), 401, "unauthenticated");
    expectRefused("two tokens", await me(`${valid} ${valid}`), 401, "unauthenticated");
    expect(await counts()).toEqual(before);
    expect((await server.request("GET", "/healthz")).status).toBe(200);
  });

  it("refuses claims a signed token should never carry, without a 5xx", async () => {
    const before = await counts();
    const cases: [string, Record<string, unknown>][] = [
      ["no tenant", { ...claims(), tid: undefined }],
      ["no user", { ...claims(), oid: undefined }],
      ["an empty tenant", { ...claims(), tid: "" }],
      ["a numeric tenant", { ...claims(), tid: 42 }],
      ["an object as the user", { ...claims(), oid: { $ne: null } }],
      ["a tenant of 201 characters", { ...claims(), tid: "t".repeat(201) }],
      [
        "an address of 321 characters",
        { ...claims(), email: `${"a".repeat(310)}@contoso.example`, preferred_username: null },
      ],
      ["a name that is an array", { ...claims(), name: ["a"] }],
    ];
    for (const [what, payload] of cases) {
      expectRefused(what, await me(await signed(undefined, payload)), 401, "unauthenticated");
    }
    // A token without the API's scope is authenticated but not authorised.
    expectRefused(
      "no scope",
      await me(await signed(undefined, { ...claims(), scp: "User.Read" })),
      403,
      "insufficient_scope",
    );
    // Text the store cannot hold (a NUL byte) is refused, and provisions nothing, whatever the code.
    const nul = await me(await signed(undefined, { ...claims(), tid: "local:nul\u0000.example" }));
    expect(nul.status).toBeGreaterThanOrEqual(400);
    expect(nul.status).toBeLessThan(500);
    expect(await counts()).toEqual(before);
  });
});
