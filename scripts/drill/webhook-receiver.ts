import { createServer } from "node:http";

// Stands in for PagerDuty: Alertmanager's generic webhook receiver posts
// {status, alerts: [{status, labels, annotations, startsAt, endsAt}]} here, and
// every alert in every notification is kept with the time it arrived.

export type ReceivedAlert = { status: "firing" | "resolved"; labels: Record<string, string>; receivedAt: number };

export const startWebhookReceiver = async () => {
  const alerts: ReceivedAlert[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      try {
        const msg = JSON.parse(body) as { alerts?: { status: "firing" | "resolved"; labels: Record<string, string> }[] };
        for (const a of msg.alerts ?? []) {
          alerts.push({ status: a.status, labels: a.labels, receivedAt: Date.now() });
          console.log(`[drill] webhook: ${a.status} ${a.labels.alertname} ${JSON.stringify(a.labels)}`);
        }
      } catch {
        /* not an Alertmanager payload: ignore */
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/alerts`, alerts, close: () => new Promise<void>((r) => server.close(() => r())) };
};
