/*
 * The rules through the real promtool (Debian's 2.42, as installed by .ci/run):
 * every rules file loads, every unit test passes, and every alert is covered —
 * each severity it can fire at is expected firing somewhere and expected
 * silent somewhere. Plus: every runbook_url points at a runbook that exists.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { alertRules, listFiles, PROMTOOL_TESTS_DIR, readYaml, REPO_ROOT, ruleFiles, run } from "./ops-files";

type TAlertTest = { alertname: string; eval_time: string; exp_alerts: { exp_labels: Record<string, string> }[] };
type TTestFile = { rule_files: string[]; tests: { name: string; alert_rule_test?: TAlertTest[] }[] };

const testFiles = listFiles(PROMTOOL_TESTS_DIR, ".yml");

describe("promtool check rules", () => {
  it.each(ruleFiles().map((f) => [path.basename(f), f]))("%s loads in Prometheus 2.42", async (_, file) => {
    const res = await run("promtool", ["check", "rules", file]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout + res.stderr).toMatch(/SUCCESS: [1-9]\d* rules found/);
  });
});

describe("promtool test rules", () => {
  it(
    "every unit test in ops/prometheus/tests passes",
    async () => {
      // Two promtool processes at a time: the SLO files take ~7 s each, on 2 cores.
      const halves = [testFiles.filter((_, i) => i % 2 === 0), testFiles.filter((_, i) => i % 2 === 1)];
      const results = await Promise.all(halves.map((files) => run("promtool", ["test", "rules", ...files])));
      for (const res of results) expect(res.code, res.stdout + res.stderr).toBe(0);
      const out = results.map((r) => r.stdout + r.stderr).join("\n");
      expect(out.match(/SUCCESS/g)?.length).toBe(testFiles.length);
      expect(out).not.toMatch(/FAILED/);
    },
    300_000,
  );

  it("fails when an alert is wrong (the tests are not vacuous)", async () => {
    // A test file whose expectation contradicts the rules must make promtool exit 1.
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const os = await import("node:os");
    const dir = mkdtempSync(path.join(os.tmpdir(), "promtool-neg-"));
    try {
      const file = path.join(dir, "wrong.test.yml");
      writeFileSync(
        file,
        JSON.stringify({
          rule_files: [path.join(REPO_ROOT, "ops/prometheus/rules/symptom-alerts.yml")],
          evaluation_interval: "1m",
          tests: [{ interval: "1m", input_series: [{ series: 'up{job="ocsuite-web",instance="web-1:3000"}', values: "1x30" }], alert_rule_test: [{ eval_time: "20m", alertname: "TargetDown", exp_alerts: [{ exp_labels: { severity: "ticket", job: "ocsuite-web", instance: "web-1:3000" } }] }] }],
        }),
      );
      const res = await run("promtool", ["test", "rules", file]);
      expect(res.code).toBe(1);
      expect(res.stdout + res.stderr).toMatch(/FAILED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("covers every alert at every severity: expected firing at least once and silent at least once", () => {
    const tests = testFiles.flatMap((f) => readYaml<TTestFile>(f).tests.flatMap((t) => t.alert_rule_test ?? []));
    const alerts = alertRules();
    expect(alerts.length).toBeGreaterThanOrEqual(20);
    for (const rule of alerts) {
      const name = rule.alert!;
      const severity = rule.labels!.severity!;
      const mine = tests.filter((t) => t.alertname === name);
      const fired = mine.some((t) => t.exp_alerts.some((a) => a.exp_labels.severity === severity));
      const silent = mine.some((t) => !t.exp_alerts.some((a) => a.exp_labels.severity === severity));
      expect(fired, `${name} (${severity}) is never expected to fire`).toBe(true);
      expect(silent, `${name} (${severity}) is never expected to stay silent`).toBe(true);
    }
  });

  it("every test file loads the committed rule files", () => {
    for (const f of testFiles) {
      for (const rf of readYaml<TTestFile>(f).rule_files) expect(existsSync(path.resolve(path.dirname(f), rf)), `${f}: ${rf}`).toBe(true);
    }
  });
});

describe("alert metadata", () => {
  it("every alert has a severity (page | ticket), a summary, a description and a runbook that exists", () => {
    for (const rule of alertRules()) {
      expect(["page", "ticket"]).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary?.length, rule.alert).toBeGreaterThan(10);
      expect(rule.annotations?.description?.length, rule.alert).toBeGreaterThan(40);
      const url = rule.annotations?.runbook_url ?? "";
      expect(url).toBe(`docs/runbooks/alerts/${rule.alert}.md`);
      expect(existsSync(path.join(REPO_ROOT, url)), `${rule.alert}: ${url} is missing`).toBe(true);
    }
  });

  it("every SLO alert carries its slo label, and the six SLOs of the spec each have a page and a ticket", () => {
    const slo = alertRules().filter((r) => r.labels?.slo);
    const bySlo = new Map<string, Set<string>>();
    for (const r of slo) bySlo.set(r.labels!.slo!, (bySlo.get(r.labels!.slo!) ?? new Set()).add(r.labels!.severity!));
    expect([...bySlo.keys()].sort()).toEqual(["api-availability", "api-latency", "chat-success", "chat-ttft", "job-success", "queue-wait"]);
    for (const sevs of bySlo.values()) expect([...sevs].sort()).toEqual(["page", "ticket"]);
  });
});
