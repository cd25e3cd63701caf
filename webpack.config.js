const path = require("node:path");
const { execFileSync } = require("node:child_process");
const HtmlWebpackPlugin = require("html-webpack-plugin");

const API = process.env.RAPPORT_API_URL || "http://127.0.0.1:3001";

/**
 * Two pages: taskpane.html, which Outlook loads (Office.js from Microsoft's CDN, the Office.js mailbox), and
 * preview.html, the real task pane on the simulated mailbox for a browser. The API is proxied, so the pane
 * calls its own origin in development as it will in production.
 */
module.exports = (_env = {}, argv = {}) => {
  const production = argv.mode === "production";
  return {
    mode: production ? "production" : "development",
    devtool: production ? "source-map" : "eval-cheap-module-source-map",
    entry: {
      preview: "./src/addin/preview/index.tsx",
      taskpane: "./src/addin/taskpane/page/index.tsx",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: production ? "[name].[contenthash].js" : "[name].js",
      chunkFilename: production ? "[name].[contenthash].js" : "[name].js",
      clean: true,
    },
    resolve: { extensions: [".tsx", ".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            // tsc --noEmit type-checks in `npm test`; the bundle only needs the transpiled code.
            options: {
              transpileOnly: true,
              compilerOptions: { module: "esnext", moduleResolution: "bundler", noEmit: false },
            },
          },
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
    ],
    performance: { hints: false },
    // Quiet unless something is wrong: `npm start` shares the terminal with the server.
    stats: "errors-warnings",
    infrastructureLogging: { level: "warn" },
    devServer: {
      port: Number(process.env.ADDIN_PORT || 3000),
      host: "localhost",
      // Outlook loads add-ins over HTTPS only; the dev server makes itself a self-signed certificate.
      server: "https",
      hot: true,
      headers: { "Access-Control-Allow-Origin": "*" },
      proxy: [{ context: ["/api", "/healthz"], target: API, changeOrigin: true }],
      static: { directory: path.resolve(__dirname, "assets"), publicPath: "/assets" },
      setupMiddlewares(middlewares, devServer) {
        // The preview signs in through the local issuer, as `npm run token` does. This lives in the dev server,
        // never in the API: the API has no way to mint a token for anyone.
        devServer.app.get("/preview/token", (request, response) => {
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
