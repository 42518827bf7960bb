import { spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs a command to completion, inheriting stdio; rejects on non-zero exit. */
export const run = (cmd, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: opts.quiet ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...process.env, ...opts.env } });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(cmd)} ${args.join(" ")} failed (${signal ?? `exit ${code}`})\n${output.slice(-4000)}`)),
    );
  });

export const bin = (name) => path.join(ROOT, "node_modules/.bin", name);

/** Prisma CLI with telemetry off; quiet unless it fails. */
export const runPrisma = (args, env = {}) =>
  run(bin("prisma"), args, { quiet: true, env: { CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env } });
