/**
 * The launch check's outside view: plain HTTP against the deployment's base
 * URL, as a visitor (or an attacker) sees it. Nothing here needs the
 * deployment's secrets, except the two optional confirmations that the
 * configured metrics token and Inngest signing key are the ones it runs with.
 */
import { randomUUID } from "node:crypto";
import { signBody } from "../../../inngest/local/signature";
import { isLoopbackHost } from "../host-policy.mjs";
import { failInProduction, row, type Mode, type Row } from "./report";

export type OutsideInput = { base: URL; mode: Mode; timeoutMs: number; metricsToken?: string; signingKey?: string };

const DOC = {
  tls: "docs/runbooks/self-hosting.md#reverse-proxy-and-tls",
  health: "docs/runbooks/deploy.md (Each deploy, step 4)",
  headers: "next.config.mjs (securityHeaders) and src/proxy.ts (CSP); docs/security-review.md",
  metrics: "docs/runbooks/deploy.md#telemetry (METRICS_TOKEN)",
  mailbox: "docs/runbooks/deploy.md (Before the first deploy, step 5): set SMTP_URL, unset DEV_MAILBOX",
  inngest: "src/app/api/inngest/route.ts; set INNGEST_SIGNING_KEY and unset INNGEST_DEV (docs/launch-checklist.md, security)",
} as const;

type Probe = { status: number; headers: Headers; text: string } | { error: string };

const probe = async (url: URL, init: RequestInit & { timeoutMs: number }): Promise<Probe> => {
  try {
    const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(init.timeoutMs) });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { error: e.cause?.code ?? e.cause?.message ?? e.message };
  }
};

const at = (base: URL, p: string) => new URL(p.replace(/^\//, ""), base.href.endsWith("/") ? base : new URL(`${base.href}/`));

const tlsRow = ({ base, mode }: OutsideInput): Row => {
  if (base.protocol === "https:") return row("tls", "pass", `${base.origin} is served over https`);
  if (isLoopbackHost(base.hostname)) return row("tls", "warn", `${base.origin} is plain http on loopback: run the check against the public https URL before go-live`, DOC.tls);
  return row("tls", failInProduction(mode), `${base.origin} is plain http: sessions and magic links travel in clear`, DOC.tls);
};

const healthRow = (p: Probe): Row => {
  if ("error" in p) return row("health", "fail", `GET /api/health: ${p.error}`, DOC.health);
  let body: { status?: string; checks?: Record<string, { status?: string; error?: string }> } = {};
  try {
    body = JSON.parse(p.text) as typeof body;
  } catch {
    /* reported below as not ok */
  }
  if (p.status === 200 && body.status === "ok") return row("health", "pass", `GET /api/health → 200 ${body.status}`);
  const failing = Object.entries(body.checks ?? {})
    .filter(([, c]) => c.status === "error")
    .map(([name, c]) => `${name}: ${c.error ?? "error"}`);
  return row("health", "fail", `GET /api/health → ${p.status} ${body.status ?? ""}${failing.length ? ` (${failing.join("; ")})` : ""}`, DOC.health);
};

/** Headers of a page (the CSP is set per request by src/proxy.ts, on pages only). */
const headerRows = (p: Probe, base: URL): Row[] => {
  if ("error" in p) return [row("security-headers", "fail", `GET /en/sign-in: ${p.error}`, DOC.headers)];
  const csp = p.headers.get("content-security-policy") ?? "";
  const hsts = p.headers.get("strict-transport-security") ?? "";
  const maxAge = Number(/max-age=(\d+)/i.exec(hsts)?.[1] ?? 0);
  const ancestors = /frame-ancestors\s+([^;]+)/i.exec(csp)?.[1]?.trim();
  const nosniff = (p.headers.get("x-content-type-options") ?? "").toLowerCase() === "nosniff";
  const scriptSrc = /script-src\s+([^;]+)/i.exec(csp)?.[1] ?? "";
  return [
    csp && !/'unsafe-inline'|'unsafe-eval'/.test(scriptSrc)
      ? row("csp", "pass", `Content-Security-Policy set; script-src ${scriptSrc.replace(/'nonce-[^']+'/, "'nonce-…'")}`)
      : row("csp", "fail", csp ? `script-src allows inline or eval: ${scriptSrc}` : "no Content-Security-Policy on GET /en/sign-in", DOC.headers),
    maxAge >= 31_536_000
      ? row("hsts", "pass", `Strict-Transport-Security: ${hsts}`)
      : row("hsts", "fail", hsts ? `max-age ${maxAge} s is under a year: ${hsts}` : `no Strict-Transport-Security (${base.protocol === "https:" ? "browsers may be downgraded" : "next dev, or a proxy stripping it"})`, DOC.headers),
    nosniff ? row("x-content-type-options", "pass", "nosniff") : row("x-content-type-options", "fail", "X-Content-Type-Options: nosniff missing", DOC.headers),
    ancestors && /^('none'|'self')$/.test(ancestors)
      ? row("frame-ancestors", "pass", `frame-ancestors ${ancestors}`)
      : row("frame-ancestors", "fail", ancestors ? `frame-ancestors ${ancestors} lets other sites frame the app` : "no frame-ancestors in the CSP (clickjacking)", DOC.headers),
  ];
};

const metricsRows = async (input: OutsideInput): Promise<Row[]> => {
  const url = at(input.base, "api/metrics");
  const anon = await probe(url, { timeoutMs: input.timeoutMs });
  const rows: Row[] = [];
  if ("error" in anon) rows.push(row("metrics-protected", "fail", `GET /api/metrics: ${anon.error}`, DOC.metrics));
  else if (anon.status === 401 || anon.status === 403) rows.push(row("metrics-protected", "pass", `GET /api/metrics without a token → ${anon.status}`));
  else rows.push(row("metrics-protected", "fail", `GET /api/metrics without a token → ${anon.status}: routes, functions and error rates are public`, DOC.metrics));
  if (!input.metricsToken) {
    rows.push(row("metrics-scrape", "warn", "METRICS_TOKEN not set in this environment: cannot confirm Prometheus can scrape", DOC.metrics));
    return rows;
  }
  const authed = await probe(url, { timeoutMs: input.timeoutMs, headers: { authorization: `Bearer ${input.metricsToken}` } });
  if (!("error" in authed) && authed.status === 200) rows.push(row("metrics-scrape", "pass", "GET /api/metrics with METRICS_TOKEN → 200"));
  else rows.push(row("metrics-scrape", "fail", `GET /api/metrics with METRICS_TOKEN → ${"error" in authed ? authed.error : authed.status}: the deployment runs with another token`, DOC.metrics));
  return rows;
};

const mailboxRow = (p: Probe): Row => {
  if ("error" in p) return row("dev-mailbox-page", "fail", `GET /en/dev/mailbox: ${p.error}`, DOC.mailbox);
  if (p.status === 200) return row("dev-mailbox-page", "fail", "GET /en/dev/mailbox → 200: it lists every sign-in link and invitation (shown to loopback callers; here to this machine)", DOC.mailbox);
  return row("dev-mailbox-page", "pass", `GET /en/dev/mailbox → ${p.status}`);
};

/** Anonymous sync, call request and introspection must all be refused (tests/security-inngest-serve.test.ts). */
const inngestRows = async (input: OutsideInput): Promise<Row[]> => {
  const url = at(input.base, "api/inngest");
  const t = input.timeoutMs;
  const put = await probe(url, { method: "PUT", timeoutMs: t, headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band" }, body: JSON.stringify({ url: "https://launch-check.invalid/api/inngest" }) });
  const callUrl = new URL(url);
  callUrl.search = "?fnId=ocsuite-system-heartbeat&stepId=step";
  // The cheapest real function (a heartbeat): refused when signed requests are enforced.
  const body = { event: { name: "system/ping.requested", data: { pingId: `launch-check-${randomUUID()}` } }, events: [], steps: {}, ctx: { run_id: "launch-check", attempt: 0, stack: { stack: [] } }, version: 2 };
  const post = await probe(callUrl, { method: "POST", timeoutMs: t, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const get = await probe(url, { timeoutMs: t });
  const refused = (p: Probe, what: string, check: string): Row => {
    if ("error" in p) return row(check, "fail", `${what}: ${p.error}`, DOC.inngest);
    if (p.status === 401 || p.status === 403) return row(check, "pass", `unsigned ${what} → ${p.status}`);
    if (p.status < 300) return row(check, "fail", `unsigned ${what} → ${p.status}: accepted (dev mode or no signing key)`, DOC.inngest);
    return row(check, "warn", `unsigned ${what} → ${p.status}: refused, but not as unauthorised`, DOC.inngest);
  };
  const rows = [refused(put, "PUT /api/inngest (sync)", "inngest-unsigned-sync"), refused(post, "POST /api/inngest (call request)", "inngest-unsigned-call")];
  if ("error" in get) rows.push(row("inngest-introspection", "fail", `GET /api/inngest: ${get.error}`, DOC.inngest));
  else if (/"mode"|function_count|has_signing_key/.test(get.text)) rows.push(row("inngest-introspection", "fail", `anonymous GET /api/inngest shows its configuration: ${get.text.slice(0, 120)}`, DOC.inngest));
  else rows.push(row("inngest-introspection", "pass", `anonymous GET /api/inngest → ${get.status}, no configuration shown`));
  return rows;
};

/**
 * Whether the deployment accepts this environment's signing key: a signed
 * introspection, exactly as Inngest (or the local executor) sends one. The
 * SDK then answers authentication_succeeded and its function count.
 */
export const signedIntrospection = async (input: OutsideInput): Promise<{ ok: boolean; detail: string }> => {
  if (!input.signingKey) return { ok: false, detail: "no signing key in this environment" };
  const p = await probe(at(input.base, "api/inngest"), { timeoutMs: input.timeoutMs, headers: { "x-inngest-signature": signBody("", input.signingKey) } });
  if ("error" in p) return { ok: false, detail: p.error };
  try {
    const body = JSON.parse(p.text) as { authentication_succeeded?: boolean; function_count?: number };
    if (body.authentication_succeeded) return { ok: true, detail: `signed GET /api/inngest accepted (${body.function_count ?? "?"} functions)` };
  } catch {
    /* not the SDK's answer */
  }
  return { ok: false, detail: `signed GET /api/inngest → ${p.status}, signature not accepted: the deployment runs with another signing key` };
};

export const outsideChecks = async (input: OutsideInput): Promise<Row[]> => {
  const t = input.timeoutMs;
  const [health, page, mailbox] = await Promise.all([
    probe(at(input.base, "api/health"), { timeoutMs: t }),
    probe(at(input.base, "en/sign-in"), { timeoutMs: t }),
    probe(at(input.base, "en/dev/mailbox"), { timeoutMs: t }),
  ]);
  return [tlsRow(input), healthRow(health), ...headerRows(page, input.base), ...(await metricsRows(input)), mailboxRow(mailbox), ...(await inngestRows(input))];
};
