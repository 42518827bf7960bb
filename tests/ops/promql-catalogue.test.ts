/*
 * Every PromQL expression the ops kit ships (rules and dashboards) names only
 * series the app exports (src/server/infra/metric-catalog.ts), the slo:*
 * series our own recording rules define, and `up`; and only labels those
 * series carry. A renamed metric or attribute then breaks the build instead
 * of silently blinding an alert. The dashboards' SQL is held to
 * prisma/schema.prisma the same way.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { promqlNames } from "../../scripts/ops/promql-names";
import { METRICS, prometheusLabel, prometheusName, type MetricSpec } from "../../src/server/infra/metric-catalog";
import { allPromql, dashboardFiles, readDashboard, REPO_ROOT, ruleGroups } from "./ops-files";

/** Labels Prometheus adds to every scraped series (the target), whatever the metric. */
const TARGET_LABELS = ["job", "instance"];

/** Series name → the labels it may carry. */
const seriesLabels = (): Map<string, Set<string>> => {
  const out = new Map<string, Set<string>>();
  for (const m of METRICS as readonly MetricSpec[]) {
    const labels = [...m.attributes.map(prometheusLabel), ...TARGET_LABELS];
    const base = prometheusName(m);
    if (m.kind === "histogram") {
      out.set(`${base}_bucket`, new Set([...labels, "le"]));
      out.set(`${base}_sum`, new Set(labels));
      out.set(`${base}_count`, new Set(labels));
    } else out.set(base, new Set(labels));
  }
  out.set("up", new Set(TARGET_LABELS));
  for (const g of ruleGroups()) for (const r of g.rules) if (r.record) out.set(r.record, new Set(Object.keys(r.labels ?? {})));
  return out;
};

describe("promqlNames (the tokenizer the check rests on)", () => {
  it("finds selectors and their matcher labels, not functions, aggregations, keywords or durations", () => {
    const n = promqlNames(
      'histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_bucket{http_route!="/api/t/[tenantSlug]/chat", le="1"}[$__rate_interval]))) > bool 1e-3',
    );
    expect(n.selectors).toEqual([{ metric: "http_server_request_duration_bucket", labels: ["http_route", "le"] }]);
    expect(n.groupingLabels).toEqual(["le", "http_route"]);
  });

  it("reads offsets, vector matching, `or vector(0)`, bare {__name__=…} selectors and recorded names", () => {
    const n = promqlNames(
      'sum by (x) ((a_total unless a_total offset 1h) and on (job, instance) (up offset 1h == 1)) or (slo:sli_error:ratio_rate5m{slo="y"} or vector(0)) / ignoring(z) group_left {__name__="b_total", k=~"v"}',
    );
    expect(n.selectors.map((s) => s.metric)).toEqual(["a_total", "a_total", "up", "slo:sli_error:ratio_rate5m", "b_total"]);
    expect(n.selectors.at(-1)!.labels).toEqual(["k"]);
    expect(n.groupingLabels).toEqual(["x", "job", "instance", "z"]);
  });

  it("does not mistake strings for names and refuses what it cannot judge", () => {
    expect(promqlNames('m{a="sum by (fake) (x)"}').selectors).toEqual([{ metric: "m", labels: ["a"] }]);
    expect(() => promqlNames('label_replace(m, "dst", "$1", "src", "(.*)")')).toThrow(/label_replace/);
  });
});

describe("the ops kit's PromQL against the metric catalogue", () => {
  const known = seriesLabels();
  const exprs = allPromql();

  it("has expressions from both the rules and every dashboard", () => {
    expect(exprs.filter((e) => e.where.endsWith(".json") || e.where.includes(".json ")).length).toBeGreaterThan(40);
    expect(exprs.length).toBeGreaterThan(100);
  });

  it("names only exported series, slo:* recording rules and up", () => {
    const unknown = exprs.flatMap((e) => promqlNames(e.expr).selectors.filter((s) => !known.has(s.metric)).map((s) => `${e.where}: ${s.metric}`));
    expect(unknown).toEqual([]);
  });

  it("filters each series only on labels it carries, and groups only on labels of the series it reads", () => {
    const bad: string[] = [];
    for (const e of exprs) {
      const { selectors, groupingLabels } = promqlNames(e.expr);
      const available = new Set(selectors.flatMap((s) => [...(known.get(s.metric) ?? [])]));
      for (const s of selectors) for (const l of s.labels) if (!known.get(s.metric)?.has(l)) bad.push(`${e.where}: ${s.metric}{${l}}`);
      for (const l of groupingLabels) if (!available.has(l)) bad.push(`${e.where}: by/on (${l})`);
    }
    expect(bad).toEqual([]);
  });

  it("catches a renamed metric (the check is not vacuous)", () => {
    const renamed = promqlNames("sum(rate(ocsuite_chat_turn_total[5m]))").selectors.filter((s) => !known.has(s.metric));
    expect(renamed.map((s) => s.metric)).toEqual(["ocsuite_chat_turn_total"]);
  });
});

describe("the dashboards' SQL against prisma/schema.prisma", () => {
  const schema = readFileSync(path.join(REPO_ROOT, "prisma/schema.prisma"), "utf8");
  const fields = (model: string) => {
    const body = new RegExp(`model ${model} \\{([\\s\\S]*?)\\n\\}`).exec(schema)?.[1] ?? "";
    return body
      .split("\n")
      .map((l) => /^\s+(\w+)\s+\w/.exec(l)?.[1])
      .filter((f): f is string => !!f);
  };

  it("quotes only tables and columns that exist (LlmCall, Tenant)", () => {
    const allowed = new Set(["LlmCall", "Tenant", ...fields("LlmCall"), ...fields("Tenant")]);
    expect(allowed.has("inputTokens")).toBe(true);
    const sql = dashboardFiles().flatMap((f) => readDashboard(f).panels.flatMap((p) => (p.targets ?? []).flatMap((t) => (t.rawSql ? [t.rawSql] : []))));
    expect(sql.length).toBeGreaterThanOrEqual(3);
    const identifiers = sql.flatMap((q) => [...q.matchAll(/"(\w+)"/g)].map((m) => m[1]!));
    expect(identifiers.filter((i) => !allowed.has(i))).toEqual([]);
  });
});
