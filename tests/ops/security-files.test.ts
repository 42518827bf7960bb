/*
 * ops/security: ZAP itself cannot run here (no Docker daemon; the weekly
 * security workflow runs it), so this checks that its inputs are well formed:
 * the rules file parses the way zap-baseline.py reads it (3 tab-separated
 * columns, a known action, a numeric rule id, no duplicates, a reason above
 * every WARN/IGNORE) and the script is strict, executable bash.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OPS_DIR, run } from "./ops-files";

const RULES = path.join(OPS_DIR, "security", "zap-rules.tsv");
const SCRIPT = path.join(OPS_DIR, "security", "zap-baseline.sh");
const ACTIONS = ["IGNORE", "WARN", "FAIL"];

const lines = () => readFileSync(RULES, "utf8").split("\n");
const rules = () =>
  lines()
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line !== "" && !line.startsWith("#"));

describe("ops/security/zap-rules.tsv", () => {
  it("has rules, each <numeric id>\\t<IGNORE|WARN|FAIL>\\t<name>, ids unique", () => {
    const parsed = rules().map(({ line, n }) => {
      const cols = line.split("\t");
      expect(cols, `line ${n}: ${JSON.stringify(line)}`).toHaveLength(3);
      const [id, action, name] = cols as [string, string, string];
      expect(id, `line ${n}: rule id`).toMatch(/^\d+$/);
      expect(ACTIONS, `line ${n}: action ${action}`).toContain(action);
      expect(name.trim(), `line ${n}: name`).not.toBe("");
      return { id, action };
    });
    expect(parsed.length).toBeGreaterThan(0);
    const ids = parsed.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), "duplicate rule ids").toEqual([]);
  });

  it("fails on the headers and cookies we rely on", () => {
    const fail = new Set(rules().map(({ line }) => line.split("\t")).filter((c) => c[1] === "FAIL").map((c) => c[0]));
    // CSP missing, anti-clickjacking, nosniff, cookie HttpOnly / Secure / SameSite, error disclosure.
    for (const id of ["10038", "10020", "10021", "10010", "10011", "10054", "90022"]) expect(fail, `rule ${id} must be FAIL`).toContain(id);
  });

  it("gives a reason (a comment line just above) for every WARN and IGNORE", () => {
    const all = lines();
    for (const { line, n } of rules()) {
      if (line.split("\t")[1] === "FAIL") continue;
      expect(all[n - 2]?.startsWith("#"), `line ${n} (${line.split("\t")[0]}) has no reason above it`).toBe(true);
    }
  });
});

describe("ops/security/zap-baseline.sh", () => {
  const text = () => readFileSync(SCRIPT, "utf8");

  it("is bash with a shebang and set -euo pipefail, and executable", () => {
    expect(text().split("\n")[0]).toBe("#!/usr/bin/env bash");
    expect(text()).toMatch(/^set -euo pipefail$/m);
    expect(() => accessSync(SCRIPT, constants.X_OK)).not.toThrow();
  });

  it("parses (bash -n) and refuses to run without a base URL", async () => {
    const syntax = await run("bash", ["-n", SCRIPT]);
    expect(syntax.code, syntax.stderr).toBe(0);
    const noArg = await run("bash", [SCRIPT]);
    expect(noArg.code).toBe(64);
    expect(noArg.stderr).toContain("usage:");
  });

  it("runs the ZAP baseline with the rules file and a report", () => {
    expect(text()).toContain("ghcr.io/zaproxy/zaproxy:stable");
    expect(text()).toMatch(/zap-baseline\.py -t "\$target" -c ops\/security\/zap-rules\.tsv -r report\.html/);
  });
});
