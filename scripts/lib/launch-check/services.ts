/**
 * The launch check's probes of what the deployment depends on, from this
 * machine with its configuration: the env schema (src/env.js itself), the
 * database's migrations, the Inngest sync, SMTP, object storage and the OTLP
 * collector. Each probe does the real thing once (an EHLO, a put/get/delete, an
 * empty export) and reports what failed; none changes lasting state.
 */
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import pg from "pg";
import { safeUrl, type Configuration } from "./config";
import { failInProduction, row, type Mode, type Row } from "./report";

const withTimeout = async <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
};

const message = (err: unknown) => ((err as Error).message ?? String(err)).replace(/\s+/g, " ").trim().slice(0, 400);

/** src/env.js validates process.env when imported: the same verdict the app reaches at start. */
export const envSchemaRow = async (): Promise<{ row: Row; valid: boolean }> => {
  // env.js prints its verdict to stderr as well; the row carries it, so the output stays one table.
  const printError = console.error;
  console.error = () => undefined;
  try {
    await import("../../../src/env.js");
    return { row: row("env-schema", "pass", "src/env.js accepts the configuration"), valid: true };
  } catch (err) {
    const issues = message(err).replace(/^Invalid environment configuration: ?/, "").replace(/ See the configuration table in README\.md\.$/, "");
    return { row: row("env-schema", "fail", issues, "README.md, configuration table"), valid: false };
  } finally {
    console.error = printError;
  }
};

/** Migration folders in prisma/migrations against _prisma_migrations (as scripts/start.mjs decides). */
export const migrationRows = async (databaseUrl: string | undefined, root: string, timeoutMs: number): Promise<{ rows: Row[]; client?: pg.Client }> => {
  const fix = "npm run db:migrate against the direct (not pooled) endpoint (docs/runbooks/deploy.md, Each deploy, step 2)";
  if (!databaseUrl) return { rows: [row("migrations", "fail", "no database to check: DATABASE_URL unset and the embedded default is not running", fix)] };
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
  } catch (err) {
    return { rows: [row("migrations", "fail", `cannot connect to ${safeUrl(databaseUrl)}: ${message(err)}`, fix)] };
  }
  const wanted = readdirSync(path.join(root, "prisma/migrations"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  try {
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(`SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    const applied = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
    const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
    const pending = wanted.filter((m) => !applied.has(m));
    if (failed.length) return { client, rows: [row("migrations", "fail", `failed migration(s) recorded: ${failed.join(", ")}`, `resolve with prisma migrate resolve, then ${fix}`)] };
    if (pending.length) return { client, rows: [row("migrations", "fail", `${pending.length} of ${wanted.length} not applied: ${pending.slice(0, 3).join(", ")}${pending.length > 3 ? ", …" : ""}`, fix)] };
    return { client, rows: [row("migrations", "pass", `all ${wanted.length} applied`)] };
  } catch (err) {
    return { client, rows: [row("migrations", "fail", `no _prisma_migrations table: ${message(err)}`, fix)] };
  }
};

/**
 * Synced means the engine knows this deployment's functions. The local
 * executor keeps its syncs in InngestApp (same database); Inngest Cloud shows
 * it only in its dashboard, so there the best check from here is that the
 * deployment accepts this environment's signing key (a signed introspection).
 */
export const inngestSyncRow = async (input: {
  config: Configuration;
  client?: pg.Client;
  signed: () => Promise<{ ok: boolean; detail: string }>;
}): Promise<Row> => {
  const fix = "docs/runbooks/self-hosting.md#background-jobs (sync: PUT the serve URL, or the Inngest dashboard → Apps → Sync)";
  if (input.config.localExecutor && input.client) {
    const apps = await input.client.query<{ url: string; syncedAt: Date; functions: unknown }>(`SELECT url, "syncedAt", functions FROM "InngestApp" ORDER BY "syncedAt" DESC`).catch(() => ({ rows: [] }));
    const app = apps.rows[0];
    if (!app) return row("inngest-synced", "fail", "the local executor has no synced app in InngestApp", fix);
    const count = Array.isArray(app.functions) ? app.functions.length : "?";
    return row("inngest-synced", "pass", `local executor synced ${app.url} at ${app.syncedAt.toISOString()} (${count} functions)`);
  }
  const signed = await input.signed();
  if (signed.ok) return row("inngest-synced", "warn", `${signed.detail}; whether Inngest synced it is shown only in its dashboard`, fix);
  return row("inngest-synced", input.config.effective.INNGEST_SIGNING_KEY ? "fail" : "warn", signed.detail, fix);
};

/** nodemailer's verify(): connect, EHLO, STARTTLS when offered, AUTH when credentials are given. */
export const smtpRow = async (smtpUrl: string | undefined, timeoutMs: number): Promise<Row> => {
  const fix = "set SMTP_URL=smtp(s)://user:pass@host:port (README.md, configuration table)";
  if (!smtpUrl) return row("smtp", "fail", "SMTP_URL unset: mail is stored for the dev mailbox, nobody receives sign-in links or invitations", fix);
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    await withTimeout(transport.verify(), timeoutMs, "SMTP verify");
    return row("smtp", "pass", `${safeUrl(smtpUrl)} answered EHLO${new URL(smtpUrl).username ? " and accepted the credentials" : ""}`);
  } catch (err) {
    return row("smtp", "fail", `${safeUrl(smtpUrl)}: ${message(err)}`, fix);
  } finally {
    transport.close();
  }
};

/** A probe object through the configured driver (src/server/infra/storage): put, read back, delete. */
export const storageRow = async (envValid: boolean, effective: Record<string, string | undefined>): Promise<Row> => {
  const fix = "docs/runbooks/storage.md";
  if (!envValid) return row("storage", "fail", "not checked: the configuration is invalid (env-schema)", fix);
  const { objectStorage, fsStorageRoot } = await import("../../../src/server/infra/storage");
  const where = effective.STORAGE_DRIVER === "s3" ? `s3 bucket ${effective.S3_BUCKET}` : `fs ${fsStorageRoot()}`;
  const key = `launch-check/probe-${randomUUID()}`;
  const bytes = new TextEncoder().encode(`launch-check ${new Date().toISOString()}`);
  const store = objectStorage();
  try {
    await store.put(key, bytes, { contentType: "text/plain" });
    const back = await store.get(key);
    if (Buffer.compare(Buffer.from(back), Buffer.from(bytes)) !== 0) return row("storage", "fail", `${where}: read back different bytes`, fix);
    return row("storage", "pass", `${where}: put, get and delete of a probe object`);
  } catch (err) {
    return row("storage", "fail", `${where}: ${message(err)}`, fix);
  } finally {
    await store.delete(key).catch(() => undefined);
  }
};

/** OTEL_EXPORTER_OTLP_HEADERS: comma-separated key=value pairs, values URL-encoded (the OTel spec). */
const otlpHeaders = (raw: string | undefined): Record<string, string> =>
  Object.fromEntries(
    (raw ?? "")
      .split(",")
      .map((pair) => pair.split("="))
      .filter((kv) => kv.length >= 2 && kv[0]!.trim())
      .map(([k, ...v]) => [k!.trim(), decodeURIComponent(v.join("=").trim())]),
  );

/** An empty export to each configured OTLP/HTTP endpoint: a collector answers 2xx, a wrong key 401/403. */
export const otlpRows = async (env: Record<string, string | undefined>, mode: Mode, timeoutMs: number): Promise<Row[]> => {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, "");
  const targets = [
    { signal: "traces", url: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base && `${base}/v1/traces`), body: { resourceSpans: [] } },
    { signal: "metrics", url: env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? (base && `${base}/v1/metrics`), body: { resourceMetrics: [] } },
  ];
  const fix = "set OTEL_EXPORTER_OTLP_ENDPOINT (+ OTEL_EXPORTER_OTLP_HEADERS) to the collector (ops/otel-collector, docs/runbooks/deploy.md#telemetry)";
  if (!targets.some((t) => t.url)) return [row("otlp", failInProduction(mode), "no OTLP endpoint: traces and pushed metrics go nowhere, so dashboards and alerts have no data", fix)];
  const headers = { "content-type": "application/json", ...otlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) };
  return Promise.all(
    targets
      .filter((t) => t.url)
      .map(async (t): Promise<Row> => {
        try {
          const res = await fetch(t.url!, { method: "POST", headers, body: JSON.stringify(t.body), signal: AbortSignal.timeout(timeoutMs) });
          await res.arrayBuffer();
          if (res.ok) return row(`otlp-${t.signal}`, "pass", `POST ${t.url} → ${res.status}`);
          return row(`otlp-${t.signal}`, "fail", `POST ${t.url} → ${res.status}${res.status === 401 || res.status === 403 ? " (check OTEL_EXPORTER_OTLP_HEADERS)" : ""}`, fix);
        } catch (err) {
          const e = err as Error & { cause?: { code?: string } };
          return row(`otlp-${t.signal}`, "fail", `POST ${t.url}: ${e.cause?.code ?? e.message}`, fix);
        }
      }),
  );
};
