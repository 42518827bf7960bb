/*
 * The Grafana dashboards as Grafana would load them: schema version, the
 * datasource variables, panel ids and grid positions, and the content the
 * operator relies on (a row per SLO, the tenant-usage provenance).
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadOpsSpec } from "../../scripts/ops/slo-spec";
import { SPEC_PATH } from "../../scripts/ops/ops-kit";
import { dashboardFiles, readDashboard } from "./ops-files";

const boards = dashboardFiles().map((f) => ({ file: path.basename(f), d: readDashboard(f) }));

describe("Grafana dashboards", () => {
  it("are the five the kit promises", () => {
    expect(boards.map((b) => b.file)).toEqual(["llm.json", "queues.json", "service-health.json", "slos.json", "tenant-usage.json"]);
  });

  it.each(boards.map((b) => [b.file, b.d]))("%s: schemaVersion ≥ 39, unique uid, ${DS_PROMETHEUS} on every Prometheus panel", (_, d) => {
    expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(d.uid).toMatch(/^ocsuite-[a-z-]+$/);
    expect(d.description.length).toBeGreaterThan(40);
    expect(d.templating.list.find((v) => v.name === "DS_PROMETHEUS")).toMatchObject({ type: "datasource", query: "prometheus" });
    for (const p of d.panels) {
      for (const t of p.targets ?? []) {
        if (t.expr !== undefined) expect(t.datasource?.uid, p.title).toBe("${DS_PROMETHEUS}");
        if (t.rawSql !== undefined) expect(t.datasource?.uid, p.title).toBe("${DS_POSTGRES}");
      }
    }
  });

  it.each(boards.map((b) => [b.file, b.d]))("%s: panel ids unique, panels inside the 24-column grid and not overlapping", (_, d) => {
    expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
    const cells = new Set<string>();
    for (const p of d.panels) {
      const g = p.gridPos;
      expect(g.x + g.w, p.title).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it("the SLO dashboard has one row per SLO of the spec, with its budget and burn-rate panels", () => {
    const spec = loadOpsSpec(SPEC_PATH);
    const d = boards.find((b) => b.file === "slos.json")!.d;
    const rows = d.panels.filter((p) => p.type === "row").map((p) => p.title ?? "");
    expect(rows).toHaveLength(spec.slos.length);
    for (const s of spec.slos) {
      expect(rows.some((r) => r.startsWith(s.title))).toBe(true);
      const exprs = d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ""));
      expect(exprs).toContain(`slo:error_budget:remaining_ratio{slo="${s.name}"}`);
      expect(exprs).toContain(`slo:sli_error:ratio_rate1h{slo="${s.name}"} / (1 - ${s.objective})`);
    }
  });

  it("the tenant-usage dashboard says where per-tenant figures come from and queries LlmCall through PostgreSQL", () => {
    const d = boards.find((b) => b.file === "tenant-usage.json")!.d;
    expect(d.description).toMatch(/NOT metrics/);
    expect(d.description).toMatch(/LlmCall/);
    expect(d.description).toMatch(/\/en\/admin\/usage/);
    expect(d.templating.list.find((v) => v.name === "DS_POSTGRES")).toMatchObject({ type: "datasource" });
    const sql = d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.rawSql ?? "")).filter(Boolean);
    expect(sql.every((q) => q.includes('FROM "LlmCall"') && q.includes("$__timeFilter"))).toBe(true);
  });

  it("the LLM dashboard carries the cost estimate and its price table", () => {
    const d = boards.find((b) => b.file === "llm.json")!.d;
    const titles = d.panels.map((p) => p.title ?? "");
    expect(titles.some((t) => t.startsWith("Estimated cost"))).toBe(true);
    expect(titles.some((t) => t.startsWith("Price table"))).toBe(true);
    expect(titles.some((t) => t.includes("first chunk p50 / p95"))).toBe(true);
  });
});
