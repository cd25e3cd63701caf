import path from "node:path";
import { ConfigError, loadConfig, signInConfig } from "../../src/server/config";

describe("configuration from the environment", () => {
  it("defaults to the embedded store in ./data on 127.0.0.1:3001 with the local issuer", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dataDir: path.resolve("data"),
      databaseUrl: null,
      port: 3001,
      host: "127.0.0.1",
      localIssuer: true,
      entra: null,
    });
  });

  it("serves the add-in's build from ./dist, framed by Outlook's hosts unless told otherwise", () => {
    expect(loadConfig({})).toMatchObject({ addinDir: path.resolve("dist"), frameAncestors: null });
    expect(
      loadConfig({
        RAPPORT_ADDIN_DIR: "/srv/rapport",
        RAPPORT_FRAME_ANCESTORS: "'self', https://outlook.office.com",
      }),
    ).toMatchObject({ addinDir: "/srv/rapport", frameAncestors: ["'self'", "https://outlook.office.com"] });
  });

  it("tells the add-in how to sign in: the Entra client, authority and scope, or the local issuer alone", () => {
    expect(signInConfig(loadConfig({}))).toEqual({ entra: null, localIssuer: true });
    const one = loadConfig({
      RAPPORT_ENTRA_CLIENT_ID: "c1",
      RAPPORT_ENTRA_TENANTS: "T1",
      RAPPORT_ENTRA_APP_ID_URI: "api://crm.example.com/c1/",
    });
    expect(signInConfig(one)).toEqual({
      entra: {
        clientId: "c1",
        authority: "https://login.microsoftonline.com/t1",
        scope: "api://crm.example.com/c1/access_as_user",
      },
      localIssuer: false,
    });
    const any = loadConfig({ RAPPORT_ENTRA_CLIENT_ID: "c1", RAPPORT_ENTRA_TENANTS: "*" });
    expect(signInConfig(any).entra).toMatchObject({
      authority: "https://login.microsoftonline.com/organizations",
      scope: "api://c1/access_as_user",
    });
  });

  it("uses PostgreSQL when DATABASE_URL is set", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@db:5432/rapport" }).databaseUrl).toBe(
      "postgres://u@db:5432/rapport",
    );
  });

  it.each([
    [{ PORT: "http" }, /PORT/],
    [{ PORT: "70000" }, /PORT/],
    [{ DATABASE_URL: "mysql://db/rapport" }, /DATABASE_URL: must be a postgres/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ RAPPORT_ENTRA_CLIENT_ID: "abc" }, /RAPPORT_ENTRA_TENANTS: required/],
    [{ RAPPORT_LOCAL_ISSUER: "off" }, /nobody could sign in/],
    [{ RAPPORT_LOCAL_ISSUER: "maybe" }, /RAPPORT_LOCAL_ISSUER/],
  ])("refuses %j with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("turns the local issuer off by default once Entra is configured, and on again when asked", () => {
    const entra = { RAPPORT_ENTRA_CLIENT_ID: "client", RAPPORT_ENTRA_TENANTS: "AAAA-1, bbbb-2" };
    expect(loadConfig(entra)).toMatchObject({
      localIssuer: false,
      entra: { clientId: "client", tenants: ["aaaa-1", "bbbb-2"] },
    });
    expect(loadConfig({ ...entra, RAPPORT_LOCAL_ISSUER: "on" }).localIssuer).toBe(true);
    expect(loadConfig({ ...entra, RAPPORT_ENTRA_TENANTS: "*" }).entra?.tenants).toBeNull();
  });
});
