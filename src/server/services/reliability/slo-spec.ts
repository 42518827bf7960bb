import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

// The SLO objectives as the product reads them: ops/slo/slos.yaml, the same
// file scripts/ops/generate.ts turns into Prometheus rules and Grafana panels,
// so /admin/ops and the alerts can never disagree about what "good" means.
// Only the fields the product uses are validated; the PromQL stays Prometheus's.

const ZDuration = z.string().regex(/^\d+[dhm]$/, "a duration like 28d, 6h or 30m");
const ZSlo = z.object({
  name: z.string().min(1),
  title: z.string().min(1),
  objective: z.number().gt(0).lt(1),
  threshold_seconds: z.number().positive().optional(),
  description: z.string().default(""),
});
const ZSpec = z.object({ version: z.literal(1), window: ZDuration, slos: z.array(ZSlo).min(1) });

export type TSloDefinition = { name: string; title: string; objective: number; thresholdSeconds: number | null; description: string };
export type TSloSpec = { window: string; windowMs: number; slos: TSloDefinition[] };

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** "28d" → milliseconds. */
const durationMs = (d: string) => Number(d.slice(0, -1)) * UNIT_MS[d.slice(-1) as keyof typeof UNIT_MS];

/** Parses the spec's text; throws (with the zod path) when the file is not what the generator expects either. */
export const parseSloSpec = (text: string): TSloSpec => {
  const spec = ZSpec.parse(parse(text));
  return {
    window: spec.window,
    windowMs: durationMs(spec.window),
    slos: spec.slos.map((s) => ({ name: s.name, title: s.title, objective: s.objective, thresholdSeconds: s.threshold_seconds ?? null, description: s.description })),
  };
};

let cached: { text: string; spec: TSloSpec } | undefined;

/**
 * The parsed spec, re-read per call (it is small; an edit plus `npm run
 * ops:generate` shows here without a rebuild) and re-parsed when its text
 * changes. Read relative to the working directory — the checkout for
 * `npm start`, `next start` and the tests; the path is written out in the
 * call so the bundler traces exactly this file.
 */
export const loadSloSpec = async (): Promise<TSloSpec> => {
  const text = await readFile(path.join(process.cwd(), "ops", "slo", "slos.yaml"), "utf8");
  if (cached?.text === text) return cached.spec;
  const spec = parseSloSpec(text);
  cached = { text, spec };
  return spec;
};
