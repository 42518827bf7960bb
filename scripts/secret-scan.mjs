#!/usr/bin/env node
// Secret scanning: secretlint over the files git tracks in the current
// directory's repository (`git ls-files`), with this project's rules
// (.secretlintrc.json: the recommended preset) and the repository's
// .secretlintignore (fixtures that hold fake keys on purpose, each with a reason).
// Tracked files only: build output, node_modules and local data are never
// committed, and scanning them would be slow and noisy.
//
// Run by `npm test` (lint step, scripts/test.mjs) and by the security workflow,
// so both scan with the locked secretlint version. tests/ops/secret-scan.test.ts
// runs it in a temporary repository holding realistic fake keys to prove it fails.
// Exit 0: nothing found; 1: a secret was found (masked in the report); 2: it could not run.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { runSecretLint } from "secretlint";

const ROOT = path.resolve(import.meta.dirname, "..");
const CONFIG = path.join(ROOT, ".secretlintrc.json");

const fail = (message) => {
  console.error(`secret-scan: ${message}`);
  process.exit(2);
};

// secretlint loads the rules named in the config by package name: say which one is missing
// rather than let it fail with "Fail to load secretlint config".
for (const { id } of JSON.parse(readFileSync(CONFIG, "utf8")).rules) {
  try {
    import.meta.resolve(id);
  } catch {
    fail(`${id} (named in .secretlintrc.json) is not installed; run npm ci`);
  }
}
// Named here as well, so that knip sees the preset in use (it cannot read .secretlintrc.json).
import.meta.resolve("@secretlint/secretlint-rule-preset-recommend");

const cwd = process.cwd();
let files = [];
try {
  files = execFileSync("git", ["ls-files", "-z"], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\0")
    .filter((f) => f !== "" && existsSync(path.join(cwd, f))); // a tracked file deleted in the work tree is not there to scan
} catch (err) {
  fail(`git ls-files failed in ${cwd}: ${err.message}`);
}
if (files.length === 0) {
  console.log("secret-scan: no tracked files");
  process.exit(0);
}

const ignore = path.join(cwd, ".secretlintignore");
let result;
try {
  result = await runSecretLint({
    cliOptions: { cwd, filePathOrGlobList: files, noGlob: true, ...(existsSync(ignore) ? { ignoreFilePath: ignore } : {}) },
    engineOptions: { cwd, configFilePath: CONFIG, formatter: "stylish", color: process.stdout.isTTY === true, maskSecrets: true },
  });
} catch (err) {
  fail(`secretlint could not run: ${err.message}`);
}
if (result.exitStatus === 0) {
  console.log(`secret-scan: ${files.length} tracked files, no secrets found`);
} else {
  console.error(result.stdout);
  console.error("secret-scan: secrets found (above). Remove them and rotate them; a deliberate fake in a test fixture goes in .secretlintignore with a reason.");
}
process.exit(result.exitStatus === 0 ? 0 : 1);
