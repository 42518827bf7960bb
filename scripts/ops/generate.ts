/*
 * `npm run ops:generate`: ops/slo/slos.yaml → Prometheus rules, promtool
 * scenarios and Grafana dashboards under ops/ (committed; a test fails when
 * they drift from the spec).
 *
 *   node --import tsx scripts/ops/generate.ts [--out DIR] [--runbook-base-url URL]
 *   node --import tsx scripts/ops/generate.ts --profile drill --scale 60 --out DIR
 *
 * --out: the directory that stands for ops/ (default: the repository's ops/).
 * --profile drill: every window and `for` divided by --scale, rules only
 *   (<out>/prometheus/rules/*.yml), for the live alert drill; it refuses to
 *   write into the repository's ops/ so scaled rules can never be committed.
 * --runbook-base-url: prefix for runbook_url (default: repository-relative).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateOps, OPS_DIR, SPEC_PATH } from "./ops-kit";
import { PRODUCTION, type TProfile } from "./profile";
import { loadOpsSpec } from "./slo-spec";

const fail = (message: string): never => {
  process.stderr.write(`ops:generate: ${message}\n`);
  process.exit(2);
};

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    profile: { type: "string", default: "production" },
    scale: { type: "string" },
    "runbook-base-url": { type: "string", default: "" },
  },
  strict: true,
});

const out = path.resolve(values.out ?? OPS_DIR);
let profile: TProfile = { ...PRODUCTION, runbookBaseUrl: values["runbook-base-url"] };
if (values.profile === "drill") {
  const scale = Number(values.scale ?? "60");
  if (!Number.isInteger(scale) || scale < 2) fail(`--scale must be an integer ≥ 2, got ${values.scale}`);
  if (out === OPS_DIR) fail("--profile drill needs --out outside the repository's ops/ (scaled rules must never be committed)");
  profile = { ...profile, name: "drill", scale };
} else if (values.profile !== "production") {
  fail(`--profile must be production or drill, got ${values.profile}`);
} else if (values.scale !== undefined) {
  fail("--scale applies to --profile drill only");
}

const files = generateOps(loadOpsSpec(SPEC_PATH), profile);
for (const [rel, text] of Object.entries(files)) {
  const file = path.join(out, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
process.stdout.write(`ops:generate: ${Object.keys(files).length} files (${profile.name}${profile.name === "drill" ? ` ÷${profile.scale}` : ""}) in ${path.relative(process.cwd(), out) || "."}\n`);
