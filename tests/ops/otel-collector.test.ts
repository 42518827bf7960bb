/*
 * ops/otel-collector: the collector binary is not installable here, so this
 * checks its configuration graph the way the collector would refuse it: for
 * the base file merged with each backend file (confmap: maps merge deeply,
 * lists are replaced), every pipeline's components are declared, every
 * declared component is used, each connector is an exporter in one pipeline
 * and a receiver in another, and every ${env:…} it needs is documented.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { listFiles, OPS_DIR } from "./ops-files";

type TPipeline = { receivers?: string[]; processors?: string[]; exporters?: string[] };
type TConfig = {
  extensions?: Record<string, unknown>;
  receivers?: Record<string, unknown>;
  processors?: Record<string, unknown>;
  exporters?: Record<string, unknown>;
  connectors?: Record<string, unknown>;
  service: { extensions?: string[]; pipelines: Record<string, TPipeline> };
};

const DIR = path.join(OPS_DIR, "otel-collector");
const baseText = readFileSync(path.join(DIR, "config.yaml"), "utf8");
const backends = listFiles(path.join(DIR, "backends"), ".yaml");

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** The collector's merge of several --config files. */
const merge = (a: unknown, b: unknown): unknown =>
  isMap(a) && isMap(b) ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in b ? merge(a[k], b[k]) : a[k]])) : b;

const keys = (m?: Record<string, unknown>) => Object.keys(m ?? {});
/** A pipeline id's data type: "traces/sampled" → traces. */
const signal = (pipeline: string) => pipeline.split("/")[0]!;
/** Connector type → [the signal it consumes, the signal it emits]. */
const CONNECTOR_SIGNALS: Record<string, [string, string] | "same"> = { spanmetrics: ["traces", "metrics"], forward: "same" };

describe("OTel Collector configuration", () => {
  it("has the three backends the kit promises", () => {
    expect(backends.map((f) => path.basename(f))).toEqual(["datadog.yaml", "newrelic.yaml", "otlp.yaml"]);
  });

  it.each(backends.map((f) => [path.basename(f), f]))("config.yaml + backends/%s is a complete, fully used pipeline graph", (_, file) => {
    const cfg = merge(parse(baseText), parse(readFileSync(file, "utf8"))) as TConfig;
    const pipelines = cfg.service.pipelines;
    const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>(), connectorsIn: new Set<string>(), connectorsOut: new Set<string>() };
    for (const [name, p] of Object.entries(pipelines)) {
      expect(p.receivers?.length, `${name} has no receivers`).toBeGreaterThan(0);
      expect(p.exporters?.length, `${name} has no exporters`).toBeGreaterThan(0);
      for (const r of p.receivers ?? []) {
        const declared = keys(cfg.receivers).includes(r) || keys(cfg.connectors).includes(r);
        expect(declared, `${name}: receiver ${r} is not declared`).toBe(true);
        if (keys(cfg.connectors).includes(r)) used.connectorsOut.add(r);
        else used.receivers.add(r);
      }
      for (const e of p.exporters ?? []) {
        const declared = keys(cfg.exporters).includes(e) || keys(cfg.connectors).includes(e);
        expect(declared, `${name}: exporter ${e} is not declared`).toBe(true);
        if (keys(cfg.connectors).includes(e)) used.connectorsIn.add(e);
        else used.exporters.add(e);
      }
      for (const pr of p.processors ?? []) {
        expect(keys(cfg.processors), `${name}: processor ${pr} is not declared`).toContain(pr);
        used.processors.add(pr);
      }
      // memory_limiter first where it is used at all, batch last: the collector's documented order.
      const procs = p.processors ?? [];
      if (procs.includes("memory_limiter")) expect(procs[0]).toBe("memory_limiter");
      if (procs.includes("batch")) expect(procs.at(-1)).toBe("batch");
    }
    expect(keys(cfg.receivers).filter((r) => !used.receivers.has(r)), "declared receivers never used").toEqual([]);
    expect(keys(cfg.processors).filter((r) => !used.processors.has(r)), "declared processors never used").toEqual([]);
    expect(keys(cfg.exporters).filter((r) => !used.exporters.has(r)), "declared exporters never used").toEqual([]);
    expect(keys(cfg.extensions).sort()).toEqual([...(cfg.service.extensions ?? [])].sort());
    for (const c of keys(cfg.connectors)) {
      expect(used.connectorsIn.has(c) && used.connectorsOut.has(c), `connector ${c} must be an exporter and a receiver`).toBe(true);
      const kind = CONNECTOR_SIGNALS[c.split("/")[0]!];
      expect(kind, `unknown connector type ${c}`).toBeDefined();
      const from = Object.entries(pipelines).filter(([, p]) => p.exporters?.includes(c)).map(([n]) => signal(n));
      const to = Object.entries(pipelines).filter(([, p]) => p.receivers?.includes(c)).map(([n]) => signal(n));
      if (kind === "same") expect(new Set([...from, ...to]).size, `${c} joins pipelines of one signal`).toBe(1);
      else {
        expect(new Set(from)).toEqual(new Set([kind![0]]));
        expect(new Set(to)).toEqual(new Set([kind![1]]));
      }
    }
  });

  it("keeps spanmetrics ahead of sampling: it sees every span, the backend gets the sampled ones", () => {
    const cfg = parse(baseText) as TConfig;
    const p = cfg.service.pipelines;
    expect(p.traces?.exporters).toContain("spanmetrics");
    expect(p.traces?.processors ?? []).not.toContain("tail_sampling");
    expect(p["traces/sampled"]?.processors).toContain("tail_sampling");
    expect(p.metrics?.receivers).toEqual(expect.arrayContaining(["otlp", "prometheus/workers", "spanmetrics"]));
    const otlp = cfg.receivers?.otlp as { protocols: Record<string, unknown> };
    expect(keys(otlp.protocols).sort()).toEqual(["grpc", "http"]);
    expect(baseText).toMatch(/credentials: \$\{env:METRICS_TOKEN\}/);
  });

  it("every ${env:…} it reads is documented in ops/README.md", () => {
    const readme = readFileSync(path.join(OPS_DIR, "README.md"), "utf8");
    const vars = [baseText, ...backends.map((f) => readFileSync(f, "utf8"))].flatMap((t) => [...t.matchAll(/\$\{env:(\w+)\}/g)].map((m) => m[1]!));
    expect(vars.length).toBeGreaterThanOrEqual(8);
    for (const v of new Set(vars)) expect(readme, `${v} is not in ops/README.md`).toContain(v);
    expect(readme).toContain("OCSUITE_TELEMETRY_BACKEND");
  });
});
