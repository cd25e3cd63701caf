const path = require("node:path");
const { readFileSync, readdirSync } = require("node:fs");
const { execFileSync } = require("node:child_process");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const { parseOrigin, manifestForOrigin } = require("./scripts/manifest-origin");

const API = process.env.RAPPORT_API_URL || "http://127.0.0.1:3001";
const PORT = Number(process.env.ADDIN_PORT || 3000);

/**
 * Emits manifest.xml for the origin the add-in is served from, and assets/ (the icons it names) beside it, so
 * dist/ is everything a web server and an Outlook admin need. The origin is checked when the plugin is made,
 * so a bad `--env origin=` stops the build before anything compiles.
 */
class OutlookManifestPlugin {
  constructor(origin) {
    this.origin = parseOrigin(origin);
  }

  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    const manifest = path.resolve(__dirname, "manifest.xml");
    const assets = path.resolve(__dirname, "assets");
    compiler.hooks.thisCompilation.tap("OutlookManifestPlugin", (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: "OutlookManifestPlugin", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          // Watched, so the dev server re-emits them when they change.
          compilation.fileDependencies.add(manifest);
          compilation.contextDependencies.add(assets);
          const xml = manifestForOrigin(readFileSync(manifest, "utf8"), this.origin);
          compilation.emitAsset("manifest.xml", new sources.RawSource(xml));
          for (const entry of readdirSync(assets, { withFileTypes: true, recursive: true })) {
            if (!entry.isFile()) continue;
            const file = path.join(entry.parentPath ?? entry.path, entry.name);
            const name = path.posix.join("assets", ...path.relative(assets, file).split(path.sep));
            compilation.emitAsset(name, new sources.RawSource(readFileSync(file)));
          }
        },
      );
    });
  }
}

/**
 * Two pages of the pane: taskpane.html, which Outlook loads (Office.js from Microsoft's CDN, the Office.js
 * mailbox), and preview.html, the real task pane on the simulated mailbox for a browser; and webapp.html, the
 * web app (today, reports, settings) served at /app and every path under it. The API is proxied, so the pane
 * calls its own origin in development as it will in production. `--env origin=https://…` is where the add-in
 * will be served from, written into dist/manifest.xml; it defaults to the dev server.
 */
const ES2016_SOURCES = [
  path.resolve(__dirname, "src/addin/office"),
  path.resolve(__dirname, "src/addin/commands/launchevent.ts"),
  // The on-send warning about unfilled merge fields, which launchevent.js runs too.
  path.resolve(__dirname, "src/addin/commands/unfilled-on-send.ts"),
  path.resolve(__dirname, "src/shared/unfilled-fields.ts"),
];

/** tsc --noEmit type-checks in `npm test`; the bundle only needs the transpiled code. */
const tsLoader = (target) => ({
  loader: "ts-loader",
  options: {
    transpileOnly: true,
    compilerOptions: { module: "esnext", moduleResolution: "bundler", noEmit: false, target },
  },
});

module.exports = (env = {}, argv = {}) => {
  const production = argv.mode === "production";
  const origin = env.origin ?? `https://localhost:${PORT}`;
  return {
    mode: production ? "production" : "development",
    devtool: production ? "source-map" : "eval-cheap-module-source-map",
    // A dev server's second start (and every end-to-end test file after the first) reuses the modules the first
    // compiled, in node_modules/.cache/webpack; a change to this file or the lockfile starts afresh. Production
    // builds compile from scratch, so what ships never depends on a cache.
    cache: production
      ? false
      : {
          type: "filesystem",
          buildDependencies: {
            config: [path.join(__dirname, "webpack.config.js"), path.resolve(__dirname, "package-lock.json")],
          },
        },
    entry: {
      preview: "./src/addin/preview/index.tsx",
      taskpane: "./src/addin/taskpane/page/index.tsx",
      commands: "./src/addin/commands/index.ts",
      "auth-dialog": "./src/addin/auth/dialog-page.ts",
      // Rapport's own sign-in in an Office dialog (and the preview's simulated one): no React, no Fluent UI.
      "account-sign-in": "./src/addin/auth/account-dialog-page.ts",
      // The web app (dashboard, reports, settings) at /app: a browser page, no Office.js.
      webapp: "./src/webapp/index.tsx",
      // Classic Outlook on Windows loads this one file by its manifest name: no hash, no chunks.
      launchevent: "./src/addin/commands/launchevent.ts",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: (pathData) =>
        pathData.chunk?.name === "launchevent"
          ? "launchevent.js"
          : production
            ? "[name].[contenthash].js"
            : "[name].js",
      chunkFilename: production ? "[name].[contenthash].js" : "[name].js",
      clean: true,
    },
    resolve: { extensions: [".tsx", ".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: [/node_modules/, ...ES2016_SOURCES],
          use: tsLoader("ES2022"),
        },
        {
          // Classic Outlook's JavaScript-only runtime runs ES2016: launchevent.js and all it imports (the Office.js
          // boundary, which uses nothing from node_modules) are compiled down to it.
          test: /\.tsx?$/,
          include: ES2016_SOURCES,
          use: tsLoader("ES2016"),
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        filename: "preview.html",
        chunks: ["preview"],
        template: "./src/addin/preview/preview.html",
      }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        chunks: ["taskpane"],
        template: "./src/addin/taskpane/page/taskpane.html",
      }),
      new HtmlWebpackPlugin({
        filename: "commands.html",
        chunks: ["commands"],
        template: "./src/addin/commands/commands.html",
      }),
      new HtmlWebpackPlugin({
        filename: "auth-dialog.html",
        chunks: ["auth-dialog"],
        template: "./src/addin/auth/auth-dialog.html",
      }),
      new HtmlWebpackPlugin({
        filename: "account-sign-in.html",
        chunks: ["account-sign-in"],
        template: "./src/addin/auth/account-sign-in.html",
      }),
      new HtmlWebpackPlugin({
        filename: "webapp.html",
        chunks: ["webapp"],
        template: "./src/webapp/webapp.html",
        // Served at /app and every path under it, so its scripts are named from the origin's root.
        publicPath: "/",
      }),
      // The manifest's support URL (/help): a page with no script of its own.
      new HtmlWebpackPlugin({
        filename: "help.html",
        chunks: [],
        inject: false,
        template: "./src/help/help.html",
      }),
      new OutlookManifestPlugin(origin),
    ],
    performance: { hints: false },
    // Quiet unless something is wrong: `npm start` shares the terminal with the server.
    stats: "errors-warnings",
    infrastructureLogging: { level: "warn" },
    devServer: {
      port: PORT,
      host: "localhost",
      // Outlook loads add-ins over HTTPS only; the dev server makes itself a self-signed certificate.
      server: "https",
      hot: true,
      client: {
        overlay: {
          // Chromium reports a ResizeObserver callback that moved layout (a Fluent dropdown's list placing itself)
          // as an uncaught error; it is harmless, but the overlay would cover the page and swallow the next click.
          // The dev server sends this function to the browser as source, so it names nothing from this file.
          runtimeErrors: (error) => !/ResizeObserver loop/.test(error.message),
        },
      },
      headers: { "Access-Control-Allow-Origin": "*" },
      proxy: [{ context: ["/api", "/healthz"], target: API, changeOrigin: true }],
      static: { directory: path.resolve(__dirname, "assets"), publicPath: "/assets" },
      setupMiddlewares(middlewares, devServer) {
        // The web app's pages (/app, /app/reports/…) are one page that routes in the browser, as the Rapport
        // server serves it from dist/.
        devServer.app.use((request, _response, next) => {
          if (request.method === "GET" && /^\/app(\/[^.]*)?$/.test(request.path))
            request.url = "/webapp.html";
          // The manifest's support URL, as the Rapport server serves it.
          else if (request.method === "GET" && request.path === "/help") request.url = "/help.html";
          next();
        });
        // The preview signs in through the local issuer, as `npm run token` does. This lives in the dev server,
        // never in the API: the API has no way to mint a token for anyone.
        devServer.app.get("/preview/token", (request, response) => {
          // Pages of this origin only: another site open in the same browser must not get a token, nor read one.
          response.removeHeader("Access-Control-Allow-Origin");
          const site = request.get("sec-fetch-site");
          const origin = request.get("origin");
          if (
            (site && site !== "same-origin" && site !== "none") ||
            (origin && origin !== `https://${request.get("host")}`)
          ) {
            response.status(403).json({ error: "Tokens are for this origin's own pages only." });
            return;
          }
          const args = ["scripts/token.ts", "--email", String(request.query.email || "rita@contoso.example")];
          if (request.query.name) args.push("--name", String(request.query.name));
          try {
            const token = execFileSync(process.execPath, [require.resolve("tsx/cli"), ...args], {
              cwd: __dirname,
              encoding: "utf8",
            }).trim();
            response.json({ token });
          } catch (error) {
            response.status(500).json({ error: String(error) });
          }
        });
        return middlewares;
      },
    },
  };
};
