/*
 * The ops kit's files as the tests read them: rule groups, every PromQL
 * expression in the rules and dashboards, and the tools' paths.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { OPS_DIR, REPO_ROOT } from "../../scripts/ops/ops-kit";

export { OPS_DIR, REPO_ROOT };

export const RULES_DIR = path.join(OPS_DIR, "prometheus", "rules");
export const PROMTOOL_TESTS_DIR = path.join(OPS_DIR, "prometheus", "tests");
export const DASHBOARDS_DIR = path.join(OPS_DIR, "grafana", "dashboards");

type TRule = { record?: string; alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
export type TGroup = { name: string; rules: TRule[] };

export const listFiles = (dir: string, ext: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));

export const ruleFiles = () => listFiles(RULES_DIR, ".yml");

export const readYaml = <T>(file: string): T => parse(readFileSync(file, "utf8")) as T;

export const ruleGroups = (files = ruleFiles()): TGroup[] => files.flatMap((f) => readYaml<{ groups: TGroup[] }>(f).groups);

export const alertRules = () => ruleGroups().flatMap((g) => g.rules.filter((r) => r.alert));

type TPanel = { type: string; title?: string; datasource?: { type: string; uid: string }; targets?: { expr?: string; rawSql?: string; datasource?: { uid: string } }[]; gridPos: { x: number; y: number; w: number; h: number }; id: number };
export type TDashboardJson = { uid: string; title: string; description: string; schemaVersion: number; panels: TPanel[]; templating: { list: { name: string; type: string; query: string }[] } };

export const dashboardFiles = () => listFiles(DASHBOARDS_DIR, ".json");
export const readDashboard = (file: string) => JSON.parse(readFileSync(file, "utf8")) as TDashboardJson;

/** Every PromQL expression the kit ships, with where it comes from. */
export const allPromql = (): { where: string; expr: string }[] => [
  ...ruleGroups().flatMap((g) => g.rules.map((r) => ({ where: `${g.name} ${r.record ?? r.alert}`, expr: r.expr }))),
  ...dashboardFiles().flatMap((f) =>
    readDashboard(f).panels.flatMap((p) =>
      (p.targets ?? []).filter((t) => t.expr !== undefined).map((t) => ({ where: `${path.basename(f)} "${p.title}"`, expr: t.expr! })),
    ),
  ),
];

export type TRun = { code: number; stdout: string; stderr: string };

/** Runs a real binary; resolves with its exit code and output instead of throwing on a non-zero exit. */
export const run = async (cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<TRun> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(err) };
  }
};

/** The Node running the tests, with tsx, as `npm run ops:generate` runs the generator. */
export const runGenerator = (args: string[]) => run(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts/ops/generate.ts"), ...args]);
