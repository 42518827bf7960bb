/*
 * docs/runbooks/alert-triage.md stays complete: every alert rule the generator writes into
 * ops/prometheus/rules/ has a row in its table, the row links the alert's runbook in
 * docs/runbooks/alerts/, and that file exists (a new SLO or symptom alert without triage notes
 * fails here, as does a row for an alert that no longer exists). The on-call runbooks' relative
 * links must resolve, so a renamed runbook does not leave the on-call with a dead link.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { alertRules, REPO_ROOT } from "./ops-files";

const RUNBOOKS = path.join(REPO_ROOT, "docs/runbooks");
const TRIAGE = path.join(RUNBOOKS, "alert-triage.md");

/** The table's rows: first cell (the alert name) → the whole row. */
const triageRows = () => {
  const rows = new Map<string, string>();
  for (const line of readFileSync(TRIAGE, "utf8").split("\n")) {
    const m = /^\|\s*([A-Z][A-Za-z]+)\s*\|/.exec(line);
    if (m) rows.set(m[1]!, line);
  }
  return rows;
};

const alertNames = () => [...new Set(alertRules().map((r) => r.alert!))].sort();

describe("docs/runbooks/alert-triage.md", () => {
  it("the generated rules have alerts to check (the test reads the real files)", () => {
    expect(alertNames().length).toBeGreaterThanOrEqual(10);
  });

  it("has a row for every alert rule, linking its runbook, which exists", () => {
    const rows = triageRows();
    const problems: string[] = [];
    for (const name of alertNames()) {
      const row = rows.get(name);
      if (!row) {
        problems.push(`${name}: no row`);
        continue;
      }
      if (!row.includes(`(alerts/${name}.md)`)) problems.push(`${name}: the row does not link alerts/${name}.md`);
      if (!existsSync(path.join(RUNBOOKS, "alerts", `${name}.md`))) problems.push(`${name}: docs/runbooks/alerts/${name}.md is missing`);
      // Every row names where to look and what to run: the table's promise to the on-call.
      const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      if (cells.length !== 6 || cells.some((c) => c === "")) problems.push(`${name}: the row needs all six cells`);
    }
    expect(problems).toEqual([]);
  });

  it("has no row for an alert that the rules no longer define", () => {
    const names = new Set(alertNames());
    expect([...triageRows().keys()].filter((n) => !names.has(n))).toEqual([]);
  });

  it("every rule's runbook_url is the runbook its row links, and no runbook is left without an alert", () => {
    const rules = alertRules();
    for (const r of rules) expect(r.annotations?.runbook_url, r.alert).toBe(`docs/runbooks/alerts/${r.alert}.md`);
    const names = new Set(alertNames());
    const pages = readdirSync(path.join(RUNBOOKS, "alerts")).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(pages.filter((f) => !names.has(f.replace(/\.md$/, "")))).toEqual([]);
  });
});

describe("on-call runbooks", () => {
  it.each(["alert-triage.md", "on-call.md"])("%s: every relative link resolves", (file) => {
    const text = readFileSync(path.join(RUNBOOKS, file), "utf8");
    const links = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !existsSync(path.join(RUNBOOKS, l)))).toEqual([]);
  });

  it("on-call.md links the incident-response runbook and the triage table", () => {
    const text = readFileSync(path.join(RUNBOOKS, "on-call.md"), "utf8");
    expect(text).toContain("(incident-response.md");
    expect(text).toContain("(alert-triage.md");
  });
});
