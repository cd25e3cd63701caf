import { execFile } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

/** `npm start` as a user runs it, with these variables; it must stop before starting either server. */
function npmStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(root, "node_modules/.bin/tsx"),
      ["scripts/start.ts", "--no-demo"],
      { cwd: root, env: { ...process.env, RAPPORT_API_URL: "", ...env } },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

describe("npm start's ports", () => {
  it("refuses one port for the API server and the dev server, naming both settings", async () => {
    const { code, stderr } = await npmStart({ PORT: "4123", ADDIN_PORT: "4123" });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT (the API server) and ADDIN_PORT (the dev server) are both 4123");
  });

  it("refuses PORT=0, whose port the dev server's proxy could not know", async () => {
    const { code, stderr } = await npmStart({ PORT: "0", ADDIN_PORT: "4124" });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT=0 lets the server pick its port");
  });
});
