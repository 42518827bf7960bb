#!/usr/bin/env node
// Which installed packages' `engines.node` exclude the Node we run on?
// Walks every package in node_modules that package-lock.json lists and checks
// its declared range with `semver` (the same library npm uses for EBADENGINE).
// Exit 1 and a list when any package excludes this Node; used by
// scripts/check-engines.test.ts so an upgrade that drops our Node fails `npm test`.
//   node scripts/check-engines.mjs [--node 24.22.3]
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const semver = require("semver");
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** @returns {{ checked: number, excluded: { name: string, version: string, range: string }[] }} */
export const checkEngines = (nodeVersion = process.versions.node) => {
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
  const excluded = [];
  let checked = 0;
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    const manifest = path.join(ROOT, where, "package.json");
    // Optional packages for another platform are in the lock file but not installed.
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, "utf8"));
    checked += 1;
    const range = pkg.engines?.node;
    if (typeof range !== "string" || !range.trim()) continue;
    if (!semver.satisfies(nodeVersion, range, { includePrerelease: true })) {
      excluded.push({ name: pkg.name ?? (where || "(root)"), version: pkg.version ?? entry.version ?? "?", range });
    }
  }
  return { checked, excluded };
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--node");
  const nodeVersion = i > 0 ? process.argv[i + 1] : process.versions.node;
  const { checked, excluded } = checkEngines(nodeVersion);
  for (const e of excluded) console.log(`${e.name}@${e.version}: engines.node "${e.range}" excludes ${nodeVersion}`);
  console.log(`${checked} installed packages checked against Node ${nodeVersion}: ${excluded.length} exclude it`);
  process.exit(excluded.length ? 1 : 0);
}
