// `npm start`: the Rapport server on the embedded store, and the add-in's dev server (HTTPS, hot reload) with
// the browser preview. Either one stopping stops both, so a failed start is never half-running.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const addinPort = process.env.ADDIN_PORT ?? "3000";

const children: ChildProcess[] = [
  spawn(bin("tsx"), ["src/server/main.ts"], { cwd: root, stdio: "inherit" }),
  spawn(bin("webpack"), ["serve", "--mode", "development"], { cwd: root, stdio: "inherit" }),
];

console.log(
  `Rapport preview: https://localhost:${addinPort}/preview.html (the certificate is self-signed: accept it once)`,
);

let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  const exitWhenDone = () =>
    children.every((c) => c.exitCode !== null || c.signalCode !== null) && process.exit(code);
  for (const child of children) child.on("exit", exitWhenDone);
  exitWhenDone();
}

for (const child of children) child.on("exit", (code) => stopAll(code ?? 0));
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
