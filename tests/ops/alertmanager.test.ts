/*
 * ops/alertmanager/alertmanager.yml through the real amtool (check-config,
 * config routes test) and the real Alertmanager binary: a page and a ticket
 * for the same SLO arrive, and the ticket is inhibited while a ticket for
 * another SLO is not.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { OPS_DIR, run } from "./ops-files";

const CONFIG = path.join(OPS_DIR, "alertmanager", "alertmanager.yml");

const routesTest = (labels: string[]) => run("amtool", ["config", "routes", "test", `--config.file=${CONFIG}`, ...labels]);

describe("amtool", () => {
  it("check-config accepts the file: 3 receivers, 1 inhibit rule", async () => {
    const res = await run("amtool", ["check-config", CONFIG]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/SUCCESS/);
    expect(res.stdout).toMatch(/3 receivers/);
    expect(res.stdout).toMatch(/1 inhibit rules/);
  });

  it("routes a page to PagerDuty (and the webhook), a ticket to Slack (and the webhook)", async () => {
    const page = await routesTest(["alertname=ChatTtftErrorBudgetBurn", "slo=chat-ttft", "severity=page"]);
    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout.trim()).toBe("webhook,pagerduty");
    const ticket = await routesTest(["alertname=ChatTtftErrorBudgetBurn", "slo=chat-ttft", "severity=ticket"]);
    expect(ticket.stdout.trim()).toBe("webhook,slack");
    const symptomPage = await routesTest(["alertname=AuditWriteFailures", "ocsuite_audit_action=member.invited", "severity=page"]);
    expect(symptomPage.stdout.trim()).toBe("webhook,pagerduty");
  });

  it("--verify.receivers fails when a page would not reach PagerDuty (the check can fail)", async () => {
    const res = await run("amtool", ["config", "routes", "test", `--config.file=${CONFIG}`, "--verify.receivers=pagerduty", "severity=ticket", "slo=chat-ttft"]);
    expect(res.code).toBe(1);
  });

  it("keeps every secret in a file, none inline", () => {
    const text = readFileSync(CONFIG, "utf8");
    expect(text).toMatch(/routing_key_file: \/etc\/alertmanager\/secrets\//);
    expect(text).toMatch(/api_url_file: \/etc\/alertmanager\/secrets\//);
    expect(text).toMatch(/credentials_file: \/etc\/alertmanager\/secrets\//);
    expect(text).not.toMatch(/^\s*(routing_key|service_key|api_url|credentials):/m);
  });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

type TApiAlert = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };

describe("the real Alertmanager", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "alertmanager-"));
  let proc: ChildProcess | undefined;
  afterAll(() => {
    proc?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "inhibits the ticket of an SLO that is paging, not another SLO's ticket",
    async () => {
      // The committed config with its secret files and webhook moved into a temp dir.
      const cfg = parse(readFileSync(CONFIG, "utf8")) as Record<string, unknown>;
      const text = stringify(cfg).replaceAll("/etc/alertmanager/secrets/", `${dir}/`).replace("http://alert-webhook.ocsuite.internal:9095/alertmanager", "http://127.0.0.1:9/none");
      for (const f of ["pagerduty-routing-key", "webhook-token"]) writeFileSync(path.join(dir, f), "test-secret\n");
      writeFileSync(path.join(dir, "slack-webhook-url"), "http://127.0.0.1:9/slack\n");
      writeFileSync(path.join(dir, "alertmanager.yml"), text);
      const port = await freePort();
      proc = spawn("/usr/bin/prometheus-alertmanager", [
        `--config.file=${path.join(dir, "alertmanager.yml")}`,
        `--storage.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ]);
      const base = `http://127.0.0.1:${port}/api/v2`;
      for (let i = 0; ; i++) {
        const ok = await fetch(`${base}/status`).then((r) => r.ok).catch(() => false);
        if (ok) break;
        if (i > 100) throw new Error("alertmanager did not start");
        await new Promise((r) => setTimeout(r, 100));
      }
      const alert = (labels: Record<string, string>) => ({ labels, annotations: { summary: "test" }, startsAt: new Date().toISOString() });
      const posted = await fetch(`${base}/alerts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify([
          alert({ alertname: "ChatTtftErrorBudgetBurn", slo: "chat-ttft", severity: "page" }),
          alert({ alertname: "ChatTtftErrorBudgetBurn", slo: "chat-ttft", severity: "ticket" }),
          alert({ alertname: "QueueWaitErrorBudgetBurn", slo: "queue-wait", severity: "ticket" }),
          alert({ alertname: "JobQueueDepthHigh", messaging_destination_name: "run-meeting", severity: "ticket" }),
        ]),
      });
      expect(posted.status).toBe(200);
      let alerts: TApiAlert[] = [];
      for (let i = 0; i < 50; i++) {
        alerts = (await (await fetch(`${base}/alerts`)).json()) as TApiAlert[];
        if (alerts.length === 4 && alerts.some((a) => a.status.inhibitedBy.length > 0)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const state = (slo: string | undefined, severity: string, name?: string) =>
        alerts.find((a) => a.labels.slo === slo && a.labels.severity === severity && (!name || a.labels.alertname === name))?.status.state;
      expect(state("chat-ttft", "page")).toBe("active");
      expect(state("chat-ttft", "ticket")).toBe("suppressed");
      expect(state("queue-wait", "ticket")).toBe("active");
      // A page without `slo` must not silence an unrelated ticket without one.
      expect(state(undefined, "ticket", "JobQueueDepthHigh")).toBe("active");
    },
    30_000,
  );
});
