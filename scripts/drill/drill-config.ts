import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The drill's Prometheus and Alertmanager configuration. Rules come from the
// real generator (scripts/ops/generate.ts) in its "drill" profile — the same
// SLO spec and alert expressions, every window divided by DRILL_SCALE — so the
// drill exercises the rules we ship, only faster. Alertmanager routes every
// alert to the drill's webhook with grouping and repeat intervals in seconds.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** 1 h → 60 s, 5 m → 5 s: the shortest window still holds five 1 s scrapes. */
export const DRILL_SCALE = 60;

export type DrillConfig = { prometheusConfig: string; alertmanagerConfig: string; ruleFiles: string[] };

export const buildDrillConfigs = async (o: {
  dir: string;
  appTarget: string;
  workerTarget: string;
  metricsToken: string;
  alertmanager: string;
  webhookUrl: string;
}): Promise<DrillConfig> => {
  const out = path.join(o.dir, "generated");
  mkdirSync(out, { recursive: true });
  execFileSync(process.execPath, ["--import", "tsx", "scripts/ops/generate.ts", "--profile", "drill", "--scale", String(DRILL_SCALE), "--out", out], { cwd: ROOT, stdio: "inherit" });
  const rulesDir = path.join(out, "prometheus", "rules");
  const ruleFiles = readdirSync(rulesDir).filter((f) => f.endsWith(".yml")).map((f) => path.join(rulesDir, f));
  const tokenFile = path.join(o.dir, "metrics-token");
  writeFileSync(tokenFile, o.metricsToken, { mode: 0o600 });
  const scrape = (job: string, target: string, metricsPath: string) => `
  - job_name: ${job}
    metrics_path: ${metricsPath}
    authorization: { type: Bearer, credentials_file: ${tokenFile} }
    static_configs: [{ targets: ["${target}"] }]`;
  const prometheusConfig = path.join(o.dir, "prometheus.yml");
  writeFileSync(
    prometheusConfig,
    `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files:
${ruleFiles.map((f) => `  - ${f}`).join("\n")}
alerting:
  alertmanagers: [{ static_configs: [{ targets: ["${o.alertmanager}"] }] }]
scrape_configs:${scrape("ocsuite-web", o.appTarget, "/api/metrics")}${scrape("ocsuite-worker", o.workerTarget, "/metrics")}
`,
  );
  const alertmanagerConfig = path.join(o.dir, "alertmanager.yml");
  writeFileSync(
    alertmanagerConfig,
    `route:
  receiver: drill-webhook
  group_by: [alertname, slo]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: drill-webhook
    webhook_configs: [{ url: "${o.webhookUrl}", send_resolved: true }]
`,
  );
  return { prometheusConfig, alertmanagerConfig, ruleFiles };
};
