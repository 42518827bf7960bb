/*
 * The generated ops files are committed; this fails when they no longer match
 * what the generator makes from ops/slo/slos.yaml (someone edited the spec or
 * the generator without regenerating, or hand-edited a generated file). And
 * the drill profile the live alert drill relies on: scaled windows, loadable
 * by Prometheus, never written into the repository.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DASHBOARDS_DIR, OPS_DIR, readYaml, RULES_DIR, run, runGenerator, type TGroup } from "./ops-files";

const tmp = mkdtempSync(path.join(os.tmpdir(), "ops-generate-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe("npm run ops:generate", () => {
  it("reproduces every committed generated file byte for byte (else: run npm run ops:generate and commit)", async () => {
    const out = path.join(tmp, "production");
    const res = await runGenerator(["--out", out]);
    expect(res.code, res.stderr).toBe(0);
    const generated = walk(out).map((f) => path.relative(out, f)).sort();
    expect(generated).toContain("prometheus/rules/slo-alerts.yml");
    expect(generated).toContain("grafana/dashboards/slos.json");
    const stale = generated.filter((rel) => readFileSync(path.join(out, rel), "utf8") !== readFileSync(path.join(OPS_DIR, rel), "utf8"));
    expect(stale, "generated files differ from the committed ones: run npm run ops:generate").toEqual([]);
    // The rules and dashboards folders hold generated files only: a leftover one would still be deployed.
    for (const dir of [RULES_DIR, DASHBOARDS_DIR]) {
      for (const f of readdirSync(dir)) expect(generated, `${path.relative(OPS_DIR, dir)}/${f} is not generated: delete it`).toContain(path.relative(OPS_DIR, path.join(dir, f)));
    }
  });

  it("is deterministic: two runs write identical files", async () => {
    const [a, b] = [path.join(tmp, "a"), path.join(tmp, "b")];
    expect((await runGenerator(["--out", a])).code).toBe(0);
    expect((await runGenerator(["--out", b])).code).toBe(0);
    for (const f of walk(a)) expect(readFileSync(f, "utf8")).toBe(readFileSync(path.join(b, path.relative(a, f)), "utf8"));
  });

  it("--runbook-base-url makes every runbook_url absolute", async () => {
    const out = path.join(tmp, "base-url");
    expect((await runGenerator(["--out", out, "--runbook-base-url", "https://git.example.com/ocsuite/blob/main/"])).code).toBe(0);
    const groups = readYaml<{ groups: TGroup[] }>(path.join(out, "prometheus/rules/slo-alerts.yml")).groups;
    const urls = groups.flatMap((g) => g.rules.map((r) => r.annotations?.runbook_url));
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u).toMatch(/^https:\/\/git\.example\.com\/ocsuite\/blob\/main\/docs\/runbooks\/alerts\/\w+\.md$/);
  });
});

describe("the drill profile (--profile drill --scale N)", () => {
  const out = path.join(tmp, "drill");

  it("writes only rule files, with every window and `for` divided by the scale, that promtool accepts", async () => {
    const res = await runGenerator(["--profile", "drill", "--scale", "60", "--out", out]);
    expect(res.code, res.stderr).toBe(0);
    expect(walk(out).map((f) => path.relative(out, f)).sort()).toEqual(["prometheus/rules/slo-alerts.yml", "prometheus/rules/slo-recording.yml", "prometheus/rules/symptom-alerts.yml"]);
    const recording = readYaml<{ groups: TGroup[] }>(path.join(out, "prometheus/rules/slo-recording.yml")).groups[0]!.rules;
    const expr = (record: string) => recording.find((r) => r.record === record)!.expr;
    // Names keep the nominal window; the range inside is scaled: 5m → 5s, 1h → 1m, 3d → 1h12m, 28d → 11h12m.
    expect(expr("slo:sli_error:ratio_rate5m")).toContain("[5s]");
    expect(expr("slo:sli_error:ratio_rate1h")).toContain("[1m]");
    expect(expr("slo:sli_error:ratio_rate3d")).toContain("[1h12m]");
    expect(expr("slo:sli_error:ratio_rate28d")).toContain("[11h12m]");
    const alerts = readYaml<{ groups: TGroup[] }>(path.join(out, "prometheus/rules/slo-alerts.yml")).groups.flatMap((g) => g.rules);
    expect(new Set(alerts.filter((a) => a.labels?.severity === "page").map((a) => a.for))).toEqual(new Set(["2s"]));
    expect(new Set(alerts.filter((a) => a.labels?.severity === "ticket").map((a) => a.for))).toEqual(new Set(["15s"]));
    expect(readFileSync(path.join(out, "prometheus/rules/slo-alerts.yml"), "utf8")).toContain("Profile: drill");
    const check = await run("promtool", ["check", "rules", ...walk(out)]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it("refuses to write scaled rules into the repository's ops/, and a bad scale", async () => {
    const intoRepo = await runGenerator(["--profile", "drill", "--scale", "60"]);
    expect(intoRepo.code).toBe(2);
    expect(intoRepo.stderr).toMatch(/needs --out outside/);
    const badScale = await runGenerator(["--profile", "drill", "--scale", "0.5", "--out", path.join(tmp, "bad")]);
    expect(badScale.code).toBe(2);
    expect(badScale.stderr).toMatch(/--scale must be an integer/);
  });
});
