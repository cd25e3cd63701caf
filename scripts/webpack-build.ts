// The production build as `npm run build` makes it, from code: for the benchmark and the build tests.
import { createRequire } from "node:module";
import path from "node:path";
import type { Configuration, Stats } from "webpack";

const root = path.resolve(__dirname, "..");
type ConfigFactory = (env: Record<string, string>, argv: { mode: string }) => Configuration;
// Node's own require: the webpack config is CommonJS, as webpack reads it, and webpack is loaded as it ships.
const loadCommonJs = createRequire(__filename);

/** webpack.config.js for production, with `--env` values such as `origin`. */
export function productionConfig(env: Record<string, string> = {}): Configuration {
  return (loadCommonJs(path.join(root, "webpack.config.js")) as ConfigFactory)(env, { mode: "production" });
}

/** Runs one build; rejects with webpack's own errors when there are any. */
export function build(config: Configuration): Promise<Stats> {
  const webpack = loadCommonJs("webpack") as typeof import("webpack");
  return new Promise((resolve, reject) =>
    webpack(config, (error, stats) => {
      if (error) reject(error);
      else if (!stats || stats.hasErrors())
        reject(new Error(stats?.toString("errors-only") ?? "webpack failed"));
      else resolve(stats);
    }),
  );
}
