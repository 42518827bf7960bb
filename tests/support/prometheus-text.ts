/**
 * Reads metrics the way Prometheus does: the text exposition served by
 * /api/metrics (scrapePrometheus() in-process, or an HTTP body), parsed into
 * samples. Tests assert on Prometheus names and labels — what the ops rules and
 * dashboards query — not on SDK internals.
 */
import { scrapePrometheus } from "~/server/infra/metrics-exporter";

export type Sample = { name: string; labels: Record<string, string>; value: number };
/** `# TYPE` lines: family name → counter | gauge | histogram | … */
export type Families = Map<string, string>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const unescape = (v: string) => v.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));

export const parsePrometheusText = (text: string): { samples: Sample[]; families: Families } => {
  const samples: Sample[] = [];
  const families: Families = new Map();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) families.set(type[1]!, type[2]!);
    if (!line || line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(LABEL)) labels[k!] = unescape(v!);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, families };
};

/** This process's metrics, scraped now. */
export const scrapeSamples = async (): Promise<Sample[]> => parsePrometheusText(await scrapePrometheus()).samples;

/**
 * The sum of the samples named `name` whose labels include `labels` (0 when none):
 * one series when the labels pin it, else the total over the rest.
 * `absent` lists labels the series must not carry (e.g. error_type on a success).
 */
export const sampleValue = (samples: Sample[], name: string, labels: Record<string, string> = {}, absent: string[] = []): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && absent.every((k) => !(k in s.labels)))
    .reduce((sum, s) => sum + s.value, 0);

/** sampleValue over a fresh scrape. */
export const metricValue = async (name: string, labels: Record<string, string> = {}, absent: string[] = []): Promise<number> =>
  sampleValue(await scrapeSamples(), name, labels, absent);
