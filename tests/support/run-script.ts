/**
 * An operator command (`scripts/<name>.ts`) run as `npm run` runs it: a real child process under
 * tsx with the react-server condition, from the repository root. Its exit code and output.
 */
import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type ScriptResult = { code: number | null; stdout: string; stderr: string };

/** `env` defaults to the test run's own environment with quiet logs (the test database and storage). */
export const runScript = (script: string, args: string[], env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent" }): Promise<ScriptResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", `scripts/${script}`, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
