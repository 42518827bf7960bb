/*
 * .github/workflows: the promises docs/testing.md makes about CI, checked on every `npm test`
 * (no runner needed; the workflows are YAML we can read):
 *  - every action is pinned by a full 40-hex commit SHA, with the tag it was taken from in a
 *    comment, and one action has one SHA across all workflows (a bump touches every copy);
 *  - every `run:` is one command a developer runs too: an npm script that package.json declares,
 *    npm's own ci/test/audit, or `bash`/`node` on a file that is in the repository — so a green
 *    local run predicts a green workflow, and a renamed script breaks here, not on the runner;
 *  - ci.yml runs exactly .ci/run; weekly.yml runs on a cron with the weekly jobs; security.yml has
 *    CodeQL, secretlint and dependency review (on pull requests).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./ops-files";

const DIR = path.join(REPO_ROOT, ".github/workflows");
type TStep = { uses?: string; run?: string; name?: string; if?: string; with?: Record<string, unknown> };
type TJob = { uses?: string; steps?: TStep[]; if?: string; container?: unknown };
type TWorkflow = { on: Record<string, unknown>; jobs: Record<string, TJob> };

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const workflow = (file: string) => parse(readFileSync(path.join(DIR, file), "utf8")) as TWorkflow;
const allSteps = () => files.flatMap((file) => Object.entries(workflow(file).jobs).flatMap(([job, j]) => (j.steps ?? []).map((s) => ({ file, job, step: s }))));
const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** Why a `run:` is not one command a developer runs, or null when it is. */
const runProblem = (run: string): string | null => {
  const line = run.trim();
  if (line.includes("\n")) return "more than one line: put the commands in a script and run that";
  if (/[;&|`$<>()]/.test(line)) return "shell plumbing: put it in a script and run that";
  const [cmd, ...args] = line.split(/\s+/);
  if (cmd === "npm") {
    const [sub, name] = args;
    if (sub === "run") return name && name in scripts ? null : `npm run ${name}: no such script in package.json`;
    if (sub === "ci" || sub === "test" || sub === "audit") return null;
    return `npm ${sub}: only npm run <script>, npm ci, npm test and npm audit`;
  }
  if (cmd === "bash" || cmd === "node") {
    const file = args.find((a) => !a.startsWith("-"));
    if (!file) return `${cmd} without a file`;
    return existsSync(path.join(REPO_ROOT, file)) ? null : `${file} does not exist`;
  }
  return `${cmd}: not an npm script or a file in the repository`;
};

describe(".github/workflows", () => {
  it("are ci, security and weekly", () => {
    expect(files).toEqual(["ci.yml", "security.yml", "weekly.yml"]);
  });

  it("pin every action by a full commit SHA, with its tag in a comment, one SHA per action", () => {
    const pins = new Map<string, Set<string>>();
    for (const file of files) {
      const lines = readFileSync(path.join(DIR, file), "utf8").split("\n");
      const uses = lines.filter((l) => /^\s*(-\s+)?uses:/.test(l));
      expect(uses.length, `${file} uses no action`).toBeGreaterThan(0);
      for (const l of uses) {
        const m = /uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+(\.\d+)*\s*$/.exec(l);
        expect(m, `${file}: "${l.trim()}" is not <owner>/<action>@<40-hex SHA> # v<tag>`).not.toBeNull();
        const [, action, sha] = m!;
        pins.set(action!, (pins.get(action!) ?? new Set()).add(sha!));
      }
    }
    // Parsed too, so a `uses:` the line scan could miss (a flow mapping) is still checked.
    for (const { file, step } of allSteps()) if (step.uses) expect(step.uses, file).toMatch(/@[0-9a-f]{40}$/);
    for (const [action, shas] of pins) expect([...shas], `${action} is pinned to more than one SHA`).toHaveLength(1);
  });

  it("run only npm scripts that exist, npm's own commands, or files in the repository", () => {
    const runs = allSteps().filter(({ step }) => step.run !== undefined);
    expect(runs.length).toBeGreaterThan(5);
    const problems = runs.map(({ file, job, step }) => ({ where: `${file} ${job} "${step.name ?? step.run}"`, problem: runProblem(step.run!) })).filter((r) => r.problem);
    expect(problems).toEqual([]);
  });

  it("ci.yml runs exactly .ci/run on every push and pull request", () => {
    const ci = workflow("ci.yml");
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push", "workflow_dispatch"]);
    const runs = Object.values(ci.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run).filter(Boolean));
    expect(runs).toEqual(["bash .ci/run"]);
  });

  it("weekly.yml runs on a cron: the full suite, load tests, both drills, ZAP against a started app, npm audit", () => {
    const weekly = workflow("weekly.yml");
    expect((weekly.on.schedule as { cron: string }[])[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const runs = Object.values(weekly.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run?.trim()).filter(Boolean));
    for (const cmd of ["bash .ci/run", "bash .ci/run npm run perf:load", "npm run ops:drill", "npm run rotation:drill", "bash ops/security/scan-app.sh"]) {
      expect(runs, cmd).toContain(cmd);
    }
    expect(runs.some((r) => r!.startsWith("npm audit"))).toBe(true);
    const artifacts = allSteps()
      .filter(({ file, step }) => file === "weekly.yml" && step.uses?.startsWith("actions/upload-artifact@"))
      .map(({ step }) => String(step.with?.path));
    for (const report of ["playwright-report/", "docs/performance-baseline.md", "docs/runbooks/alert-drill-last-run.md", "docs/runbooks/rotation-drill-last-run.md", "report.html"]) {
      expect(artifacts.join("\n"), `artifact ${report}`).toContain(report);
    }
  });

  it("security.yml: CodeQL, secretlint, and dependency review on pull requests", () => {
    const security = workflow("security.yml");
    const uses = allSteps().filter(({ file }) => file === "security.yml").map(({ step }) => step.uses ?? step.run ?? "");
    expect(uses.some((u) => u.startsWith("github/codeql-action/analyze@"))).toBe(true);
    expect(uses).toContain("node scripts/secret-scan.mjs");
    expect(security.jobs["dependency-review"]?.if).toBe("github.event_name == 'pull_request'");
    expect(security.on).toHaveProperty("pull_request");
  });
});

describe("runProblem", () => {
  it("accepts what a developer runs and names what is wrong otherwise", () => {
    expect(runProblem("npm run ops:drill")).toBeNull();
    expect(runProblem("bash .ci/run npm run perf:load")).toBeNull();
    expect(runProblem("npm audit --audit-level=high --omit=dev")).toBeNull();
    expect(runProblem("npm run no-such-script")).toBe("npm run no-such-script: no such script in package.json");
    expect(runProblem("bash ops/nowhere.sh")).toBe("ops/nowhere.sh does not exist");
    expect(runProblem("curl -fsS http://127.0.0.1:3000")).toContain("not an npm script");
    expect(runProblem("npm ci && npm run build")).toContain("shell plumbing");
    expect(runProblem("npm ci\nnpm run build")).toContain("more than one line");
  });
});
