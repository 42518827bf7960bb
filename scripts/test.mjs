#!/usr/bin/env node
// `npm test`: everything CI checks, in order, stopping at the first failure:
// lint → typecheck → unit + integration (vitest, real Postgres) → key-rotation drill → production
// build → alert drill (real Prometheus + Alertmanager) → end-to-end (Playwright
// in Debian's chromium).
// Pick steps with e.g. `npm test -- unit e2e`; arguments from the first `-` one on go to the last
// step's tool: `npm test -- e2e --grep @critical` (= `npm run test:critical`, the critical-flow
// regression suite, docs/testing.md). Rules in scripts/lib/test-args.mjs. Postgres for the tests:
// TEST_DATABASE_URL when set (a fresh database is created per run on that
// server), else embedded PGlite.
import "./lib/use-node-lts.mjs";
import { bin, run } from "./lib/prisma.mjs";
import { parseTestArgs } from "./lib/test-args.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";

const STEPS = {
  // ESLint (style and the import layering); dependency-cruiser: the same layering
  // and no cycle over the whole graph, type-only imports included; knip: every
  // package the code, tests and scripts import is declared, and every declared one is used;
  // secretlint over every tracked file (scripts/secret-scan.mjs, as the security workflow runs it).
  // `npm audit` is not here: the registry's audit endpoint answers 405 from our machines and CI,
  // so it runs only in .github/workflows/weekly.yml (npm-audit).
  lint: async () => {
    await run(bin("eslint"), ["--max-warnings=0", "."]);
    await run(bin("depcruise"), ["--validate", "--output-type", "err", "src", "inngest"]);
    await run(bin("knip"), ["--dependencies", "--no-progress"]);
    await run(process.execPath, ["scripts/secret-scan.mjs"]);
  },
  typecheck: () => run(bin("tsc"), ["--noEmit", "-p", "."]),
  unit: (extra) => run(bin("vitest"), ["run", ...extra]),
  // The key-rotation drill (scripts/drill/rotation-drill.ts, ~1 min): data-key rotation of every
  // tenant with a SIGKILL of the worker mid-run, retirement, a rollback and a master-key rewrap,
  // under continuous reads and writes; fails on any failed read or lost write.
  rotation: () => run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/drill/rotation-drill.ts"]),
  build: () => run(process.execPath, ["scripts/build.mjs"]),
  // The alert drill (scripts/drill/alert-drill.ts, ~2 min): real Prometheus and
  // Alertmanager scrape the built app and worker; two provider faults must page
  // and resolve. Needs the build above and Debian's prometheus packages.
  drill: () => run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/drill/alert-drill.ts"]),
  e2e: (extra) => run(bin("playwright"), ["test", "-c", "e2e/playwright.config.ts", ...extra]),
};

// The steps whose tool takes pass-through arguments (a filter, a grep, a reporter).
const TAKES_ARGS = new Set(["unit", "e2e"]);
const parsed = parseTestArgs(process.argv.slice(2), Object.keys(STEPS), TAKES_ARGS);
if (!parsed.ok) {
  console.error(parsed.error);
  process.exit(2);
}
const { steps, extra } = parsed;
const timings = [];
for (const name of steps) {
  const t0 = performance.now();
  console.log(`\n=== npm test: ${[name, ...(name === steps.at(-1) ? extra : [])].join(" ")} ===`);
  try {
    await STEPS[name](name === steps.at(-1) ? extra : []);
  } catch (err) {
    console.error(`\n=== npm test: ${name} FAILED ===\n${err.message.split("\n")[0]}`);
    process.exit(1);
  }
  timings.push(`${name} ${((performance.now() - t0) / 1000).toFixed(1)}s`);
}
console.log(`\n=== npm test: all steps passed (${timings.join(", ")}) ===`);
