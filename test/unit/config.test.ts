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

  it("sends mail only with a host, a sender and the public address, the password from the environment or a file", () => {
    expect(loadConfig({}).mail).toBeNull();
    const base = { RAPPORT_PUBLIC_URL: "https://crm.example.com", RAPPORT_SMTP_HOST: "smtp.example.com" };
    expect(loadConfig({ ...base, RAPPORT_SMTP_FROM: "noreply@crm.example.com" }).mail).toEqual({
      host: "smtp.example.com",
      port: 587,
      security: "starttls",
      auth: null,
      from: { name: "Rapport", address: "noreply@crm.example.com" },
    });
    const read: string[] = [];
    const fromFile = loadConfig(
      {
        ...base,
        RAPPORT_SMTP_FROM: "noreply@crm.example.com",
        RAPPORT_SMTP_SECURITY: "tls",
        RAPPORT_SMTP_USER: "rapport",
        RAPPORT_SMTP_PASSWORD_FILE: "/run/secrets/smtp",
      },
      (file) => {
        read.push(file);
        return "from the file\n";
      },
    );
    expect(read).toEqual(["/run/secrets/smtp"]);
    expect(fromFile.mail).toMatchObject({
      port: 465,
      security: "tls",
      auth: { user: "rapport", pass: "from the file" },
    });
    const refused = (env: Record<string, string>, message: RegExp) =>
      expect(() => loadConfig(env)).toThrow(message);
    refused(base, /RAPPORT_SMTP_FROM: the sender's address/);
    refused({ ...base, RAPPORT_SMTP_FROM: "Rapport <noreply@crm.example.com>" }, /RAPPORT_SMTP_FROM/);
    refused(
      { RAPPORT_SMTP_HOST: "smtp.example.com", RAPPORT_SMTP_FROM: "noreply@crm.example.com" },
      /RAPPORT_PUBLIC_URL: required with RAPPORT_SMTP_HOST/,
    );
    refused({ RAPPORT_SMTP_USER: "rapport" }, /RAPPORT_SMTP_HOST: required with RAPPORT_SMTP_USER/);
    refused(
      { ...base, RAPPORT_SMTP_FROM: "noreply@crm.example.com", RAPPORT_SMTP_USER: "rapport" },
      /both or neither/,
    );
    refused(
      {
        ...base,
        RAPPORT_SMTP_FROM: "noreply@crm.example.com",
        RAPPORT_SMTP_FROM_NAME: "Rapport\r\nBcc: x@y.example",
      },
      /RAPPORT_SMTP_FROM_NAME/,
    );
    expect(() => loadConfig(base)).toThrow(ConfigError);
  });

  it("turns the mailbox sync on with a Graph app and exactly one of a secret or a certificate", () => {
    expect(loadConfig({}).sync).toEqual({
      graph: null,
      intervalSeconds: 60,
      backfillDays: 30,
      concurrency: 4,
      leaseSeconds: 120,
    });
    const secret = loadConfig({
      RAPPORT_GRAPH_CLIENT_ID: "app",
      RAPPORT_GRAPH_CLIENT_SECRET: "s3cret",
      RAPPORT_GRAPH_TENANT_ID: "t1",
      RAPPORT_SYNC_INTERVAL_SECONDS: "30",
      RAPPORT_SYNC_BACKFILL_DAYS: "7",
    }).sync;
    expect(secret).toMatchObject({
      graph: {
        clientId: "app",
        credential: { kind: "secret", secret: "s3cret" },
        tenantId: "t1",
        authority: "https://login.microsoftonline.com",
        graphUrl: "https://graph.microsoft.com",
      },
      intervalSeconds: 30,
      backfillDays: 7,
    });
    expect(
      loadConfig({ RAPPORT_GRAPH_CLIENT_ID: "app", RAPPORT_GRAPH_CERTIFICATE_PATH: "certs/app.pem" }).sync
        .graph,
    ).toMatchObject({
      credential: { kind: "certificate", path: path.resolve("certs/app.pem") },
      tenantId: null,
    });
    expect(() => loadConfig({ RAPPORT_GRAPH_CLIENT_ID: "app" })).toThrow(/exactly one/);
    expect(() =>
      loadConfig({
        RAPPORT_GRAPH_CLIENT_ID: "app",
        RAPPORT_GRAPH_CLIENT_SECRET: "s",
        RAPPORT_GRAPH_CERTIFICATE_PATH: "c",
      }),
    ).toThrow(/exactly one/);
    expect(() => loadConfig({ RAPPORT_GRAPH_CLIENT_SECRET: "s" })).toThrow(
      /RAPPORT_GRAPH_CLIENT_ID: required/,
    );
    expect(() => loadConfig({ RAPPORT_SYNC_INTERVAL_SECONDS: "1" })).toThrow(ConfigError);
  });

  it("subscribes to Graph change notifications only with an address Graph can reach, for the lifetime asked", () => {
    const graph = { RAPPORT_GRAPH_CLIENT_ID: "app", RAPPORT_GRAPH_CLIENT_SECRET: "s3cret" };
    expect(loadConfig(graph).sync.notifications).toBeNull();
    expect(
      loadConfig({ ...graph, RAPPORT_GRAPH_NOTIFICATION_URL: "https://crm.example.com/" }).sync.notifications,
    ).toEqual({ url: "https://crm.example.com/graph/notifications", subscriptionMinutes: 4320 });
    expect(
      loadConfig({
        ...graph,
        RAPPORT_GRAPH_NOTIFICATION_URL: "https://crm.example.com/rapport",
        RAPPORT_GRAPH_SUBSCRIPTION_MINUTES: "10080",
      }).sync.notifications,
    ).toEqual({ url: "https://crm.example.com/rapport/graph/notifications", subscriptionMinutes: 10_080 });
    // Graph keeps a mail subscription at most 10,080 minutes; and without the app there is nothing to subscribe.
    expect(() =>
      loadConfig({
        ...graph,
        RAPPORT_GRAPH_NOTIFICATION_URL: "https://crm.example.com",
        RAPPORT_GRAPH_SUBSCRIPTION_MINUTES: "10081",
      }),
    ).toThrow(/RAPPORT_GRAPH_SUBSCRIPTION_MINUTES/);
    // Graph refuses a plain http:// address, and the clientState secret would travel in clear.
    expect(() => loadConfig({ ...graph, RAPPORT_GRAPH_NOTIFICATION_URL: "http://crm.example.com" })).toThrow(
      /RAPPORT_GRAPH_NOTIFICATION_URL: must be an https:\/\/ address/,
    );
    expect(() => loadConfig({ ...graph, RAPPORT_GRAPH_NOTIFICATION_URL: "ftp://crm.example.com" })).toThrow(
      /RAPPORT_GRAPH_NOTIFICATION_URL/,
    );
    expect(() => loadConfig({ RAPPORT_GRAPH_NOTIFICATION_URL: "https://crm.example.com" })).toThrow(
      /RAPPORT_GRAPH_CLIENT_ID: required/,
    );
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
      RAPPORT_ENTRA_TENANTS: "11111111-2222-4333-8444-55555555555A",
      RAPPORT_ENTRA_APP_ID_URI: "api://crm.example.com/c1/",
    });
    expect(signInConfig(one)).toEqual({
      entra: {
        clientId: "c1",
        authority: "https://login.microsoftonline.com/11111111-2222-4333-8444-55555555555a",
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
    [{ RAPPORT_TRUST_PROXY: "all" }, /RAPPORT_TRUST_PROXY: must be off, a number of proxies/],
    [{ RAPPORT_TRUST_PROXY: "11" }, /RAPPORT_TRUST_PROXY/],
    [{ RAPPORT_TRUST_PROXY: "10.0.0.0/33" }, /RAPPORT_TRUST_PROXY/],
    [{ RAPPORT_TRUST_PROXY: "10.0.0.1, lb.internal" }, /RAPPORT_TRUST_PROXY/],
    [
      {
        RAPPORT_ENTRA_CLIENT_ID: "c1",
        RAPPORT_ENTRA_TENANTS: "11111111-2222-4333-8444-555555555555, 9188040D-6C67-4C5B-B112-36A304B66DAD",
      },
      /RAPPORT_ENTRA_TENANTS: 9188040d-6c67-4c5b-b112-36a304b66dad is the tenant of personal Microsoft accounts/,
    ],
    [
      { RAPPORT_ADMINS: "ada@contoso.example, ada" },
      /RAPPORT_ADMINS: "ada" is neither an object id nor an email/,
    ],
    [{ RAPPORT_ADMIN_APP_ROLE: "Rapport Admin" }, /RAPPORT_ADMIN_APP_ROLE/],
  ])("refuses %j with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("turns the local issuer off by default once Entra is configured, and on again when asked", () => {
    const entra = {
      RAPPORT_ENTRA_CLIENT_ID: "client",
      RAPPORT_ENTRA_TENANTS: "AAAAAAAA-1111-4222-8333-444444444444, bbbbbbbb-1111-4222-8333-444444444444",
    };
    expect(loadConfig(entra)).toMatchObject({
      localIssuer: false,
      entra: {
        clientId: "client",
        tenants: ["aaaaaaaa-1111-4222-8333-444444444444", "bbbbbbbb-1111-4222-8333-444444444444"],
      },
    });
    expect(loadConfig({ ...entra, RAPPORT_LOCAL_ISSUER: "on" }).localIssuer).toBe(true);
    expect(loadConfig({ ...entra, RAPPORT_ENTRA_TENANTS: "*" }).entra?.tenants).toBeNull();
  });

  it("admits the tenants it is given by id, or any tenant with * alone", () => {
    const tenants = (value: string) =>
      loadConfig({ RAPPORT_ENTRA_CLIENT_ID: "client", RAPPORT_ENTRA_TENANTS: value }).entra?.tenants;
    expect(tenants(" 11111111-2222-4333-8444-555555555555 ,11111111-2222-4333-8444-555555555555,")).toEqual([
      "11111111-2222-4333-8444-555555555555",
    ]);
    expect(tenants(" * ")).toBeNull();
  });

  it.each([
    ["contoso.com", /"contoso\.com" is a domain name: use the tenant id instead/],
    [
      "11111111-2222-4333-8444-555555555555, contoso.onmicrosoft.com",
      /"contoso\.onmicrosoft\.com" is a domain name: use the tenant id/,
    ],
    ["11111111-2222-4333-8444-55555555555", /"11111111-2222-4333-8444-55555555555" is not a tenant id/],
    ["{11111111-2222-4333-8444-555555555555}", /is not a tenant id/],
    ["organizations", /"organizations" is a sign-in authority, not a tenant: use "\*"/],
    ["*, 11111111-2222-4333-8444-555555555555", /"\*" admits every tenant and stands alone/],
    [",", /RAPPORT_ENTRA_TENANTS: tenant ids, comma-separated, or "\*"/],
  ])("refuses RAPPORT_ENTRA_TENANTS=%j at start, saying what to write instead", (value, message) => {
    const env = { RAPPORT_ENTRA_CLIENT_ID: "client", RAPPORT_ENTRA_TENANTS: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/RAPPORT_ENTRA_TENANTS: /);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("names the API by its Application ID URI, api://<client id> unless configured", () => {
    const tenants = "11111111-2222-4333-8444-555555555555";
    expect(
      loadConfig({ RAPPORT_ENTRA_CLIENT_ID: "c1", RAPPORT_ENTRA_TENANTS: tenants }).entra?.appIdUri,
    ).toBe("api://c1");
    expect(
      loadConfig({
        RAPPORT_ENTRA_CLIENT_ID: "c1",
        RAPPORT_ENTRA_TENANTS: tenants,
        RAPPORT_ENTRA_APP_ID_URI: "https://crm.example.com/rapport/",
      }).entra?.appIdUri,
    ).toBe("https://crm.example.com/rapport");
  });

  it("trusts as many proxies as it is told, never the whole X-Forwarded-For", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ RAPPORT_TRUST_PROXY: "off" }).trustProxy).toBe(false);
    // "on" predates hop counts: it means the one load balancer the README describes.
    expect(loadConfig({ RAPPORT_TRUST_PROXY: "on" }).trustProxy).toBe(1);
    expect(loadConfig({ RAPPORT_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ RAPPORT_TRUST_PROXY: "10.0.0.0/8, 192.0.2.7 ::1" }).trustProxy).toEqual([
      "10.0.0.0/8",
      "192.0.2.7",
      "::1",
    ]);
  });

  it("takes first admins from the app role Rapport.Admin, or another, and from a list of object ids and addresses", () => {
    expect(loadConfig({}).admins).toEqual({ appRole: "Rapport.Admin", listed: [] });
    expect(
      loadConfig({
        RAPPORT_ADMIN_APP_ROLE: "CRM.Owner",
        RAPPORT_ADMINS:
          " Ada@Contoso.example,0B0B0B0B-1111-4222-8333-444444444444;ada@contoso.example\nbo@contoso.example ",
      }).admins,
    ).toEqual({
      appRole: "CRM.Owner",
      listed: ["ada@contoso.example", "0b0b0b0b-1111-4222-8333-444444444444", "bo@contoso.example"],
    });
  });

  it("keeps the admins' addresses in their canonical form, as every address is compared", () => {
    expect(
      loadConfig({ RAPPORT_ADMINS: "Jorg@Müller.Example <Bo@Contoso.example.> jorg@xn--mller-kva.example" })
        .admins.listed,
    ).toEqual(["jorg@xn--mller-kva.example", "bo@contoso.example"]);
    expect(() => loadConfig({ RAPPORT_ADMINS: "ada@contoso" })).toThrow(
      /RAPPORT_ADMINS: "ada@contoso" is neither an object id nor an email address/,
    );
  });
});
