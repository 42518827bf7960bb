// Validated environment. A missing or malformed variable fails at start with a
// message that names it (see instrumentation.ts and scripts/start.mjs, which
// both import this file before serving anything). Every variable is listed in
// the README's configuration table.
//
// The rule: application code reads configuration only from here (`env.X`; the local Inngest
// executor, a separate process without the app's secrets, uses `executorEnv()`
// from src/env-executor.js). The only raw `process.env`
// reads left are markers set by the platform, not by an operator: NEXT_RUNTIME,
// NEXT_PHASE, NODE_ENV inlined into client bundles and npm_package_version.
// scripts/*.mjs run before anything is installed or built and set variables
// for the app; they are not application code.
import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

const bool = z
  .enum(["0", "1", "true", "false"])
  .optional()
  .transform((v) => v === "1" || v === "true");
/** @param {number} fallback */
const positiveInt = (fallback) => z.coerce.number().int().positive().default(fallback);
const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL");

const isBuild = process.env.NEXT_PHASE === "phase-production-build";

// Data residency (issue 16): the object storage of each residency region, as one JSON object keyed by
// region id (src/lib/regions.ts: us, eu; src/env.test.ts keeps the two lists equal). A region
// without an entry has no storage of its own: its workspaces' originals go to the default storage
// above. Documented in docs/runbooks/storage.md. Entries:
//   {"driver":"s3","bucket":"…","region":"eu-central-1","endpoint":"https://…","forcePathStyle":true,
//    "accessKeyId":"…","secretAccessKey":"…"}  (endpoint/credentials optional, as the S3_* variables)
//   {"driver":"fs","root":"/mnt/eu-originals"}  (root optional: <fs storage root>/regions/<id>, the
//    same machine's disk, so a bookkeeping separation, not residency)
const storageRegionEntry = z.discriminatedUnion("driver", [
  z
    .object({
      driver: z.literal("s3"),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid bucket name"),
      region: z.string().min(1).default("us-east-1"),
      endpoint: z.url().optional(),
      forcePathStyle: z.boolean().default(false),
      accessKeyId: z.string().min(1).optional(),
      secretAccessKey: z.string().min(1).optional(),
    })
    .strict()
    .refine((e) => !e.accessKeyId === !e.secretAccessKey, "accessKeyId and secretAccessKey are set together"),
  z.object({ driver: z.literal("fs"), root: z.string().min(1).optional() }).strict(),
]);
const storageRegions = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return {};
    try {
      return /** @type {unknown} */ (JSON.parse(raw));
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON object, e.g. {\"eu\":{\"driver\":\"s3\",\"bucket\":\"ocsuite-eu\"}}" });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(["us", "eu"]), storageRegionEntry));

// Inngest. The SDK reads these itself too; they are declared here so a typo'd value fails at
// start and the code reads them in one place (src/server/events/client.ts).
//   INNGEST_DEV: "1" or an origin (Dev Server / our local executor); unset: cloud mode with a signing key.
const inngestServer = {
  INNGEST_DEV: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY_FALLBACK: z.string().min(1).optional(),
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_BASE_URL: z.url().optional(),
};


export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: postgresUrl,
    REDIS_URL: z
      .string()
      .url()
      .refine((v) => /^rediss?:\/\//.test(v), "must be a redis:// or rediss:// URL")
      .optional(),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)"),
    APP_URL: z.string().url().optional(),
    AUTH_OIDC_ISSUER: z.string().url().optional(),
    AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
    AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    AUTH_OIDC_NAME: z.string().min(1).default("SSO"),
    SMTP_URL: z
      .string()
      .url()
      .refine((v) => /^smtps?:\/\//.test(v), "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("OC Suite <no-reply@ocsuite.local>"),
    DEV_MAILBOX: bool,
    // Test seam for the e2e suite only (e2e/support/serve.mjs): with it on, a page request from this
    // machine carrying "x-ocsuite-e2e-fault: page" fails its workspace page, to show the section's
    // error boundary (src/lib/server-pages/injected-fault.ts). Never set it on a deployment.
    E2E_PAGE_FAULTS: bool,
    // Versioned master keys for tenant secrets: "1:<base64 32 bytes>,2:<…>" (highest is current;
    // see packages/crypto/README.md). npm start generates one into .data/ when unset.
    OCSUITE_MASTER_KEYS: z.string().regex(/^\d+:[A-Za-z0-9+/=_-]{43,}(,\d+:[A-Za-z0-9+/=_-]{43,})*$/, "must be 'version:base64key' pairs separated by commas").optional(),
    OCSUITE_MASTER_KEY_CURRENT: z.coerce.number().int().positive().optional(),
    // Workspace key vault (ADR 0016): every data key is also wrapped under a key of its workspace
    // held outside the database, which the workspace purge destroys, so no database backup opens a
    // purged workspace. file (the default, one machine): key files in OCSUITE_KEY_VAULT_DIR, else
    // <OCSUITE_DATA_DIR or .data>/key-vault. vault: HashiCorp Vault / OpenBao transit (fleets).
    // none: master keys only (backups stay readable with them until they expire).
    OCSUITE_KEY_VAULT: z.enum(["file", "vault", "none"]).default("file"),
    OCSUITE_KEY_VAULT_DIR: z.string().min(1).optional(),
    VAULT_ADDR: z.url().optional(),
    VAULT_TOKEN: z.string().min(1).optional(),
    VAULT_NAMESPACE: z.string().min(1).optional(),
    VAULT_TRANSIT_MOUNT: z.string().regex(/^[A-Za-z0-9_/-]{1,128}$/, "must be a mount path such as transit").default("transit"),
    // Key rotation (docs/runbooks/key-rotation.md). How long a process trusts its cached data keys and
    // active versions; a rotation waits this long before re-encrypting so no process still writes the old version.
    KEY_CACHE_TTL_SECONDS: positiveInt(60),
    // Scheduled rotation: a tenant's active data key older than this is rotated by the daily cron.
    KEY_ROTATION_MAX_AGE_DAYS: positiveInt(90),
    // After a rotation is verified, the old version stays decrypt-only this long (rollback window), then is retired.
    KEY_ROTATION_RETIRE_AFTER_HOURS: z.coerce.number().positive().default(168),
    // A retired version may be destroyed (crypto-shredded) only this long after its retirement.
    KEY_DESTROY_AFTER_DAYS: positiveInt(30),
    // Workspace deletion (issue 16): days between an owner's request and the purge (cancellable until then).
    WORKSPACE_DELETION_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
    // Secrets re-encrypted per batch (one checkpoint per batch).
    KEY_ROTATION_BATCH_SIZE: positiveInt(200),
    // Benchmark only (perf/chat-ttft.mjs): enables the /api/perf/proxy baseline route to this upstream.
    OCSUITE_PERF_PROXY_TARGET: z.url().optional(),
    // SSRF guard for tenant provider base URLs (src/server/infra/outbound-fetch.ts). false (the
    // hosted default): https to public addresses only. true: also private/loopback addresses and
    // plain http to this machine (npm start sets it for single-user installs with a local Ollama).
    OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS: bool,
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    RATE_LIMIT_SIGNIN_ACCOUNT: positiveInt(5),
    RATE_LIMIT_SIGNIN_IP: positiveInt(30),
    // Proxies in front of the app that append to X-Forwarded-For (src/server/auth/request-meta.ts).
    // 0 (the default): X-Forwarded-For is ignored and the socket address is the client IP.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Workload limits (src/server/infra/workload-limits.ts): per user, per workspace and per client IP.
    // Chat turns (send, regenerate, retry) per user per minute.
    RATE_LIMIT_CHAT_PER_MINUTE: positiveInt(30),
    RATE_LIMIT_CHAT_TENANT_PER_MINUTE: positiveInt(600),
    RATE_LIMIT_CHAT_IP_PER_MINUTE: positiveInt(600),
    // Meetings created or resumed, per hour.
    RATE_LIMIT_MEETINGS_PER_HOUR: positiveInt(60),
    RATE_LIMIT_MEETINGS_TENANT_PER_HOUR: positiveInt(600),
    RATE_LIMIT_MEETINGS_IP_PER_HOUR: positiveInt(600),
    // Tasks created (by hand or from an action item) or retried, per hour.
    RATE_LIMIT_TASKS_PER_HOUR: positiveInt(120),
    RATE_LIMIT_TASKS_TENANT_PER_HOUR: positiveInt(1200),
    RATE_LIMIT_TASKS_IP_PER_HOUR: positiveInt(1200),
    // Audit exports (workspace and platform), per hour.
    RATE_LIMIT_EXPORTS_PER_HOUR: positiveInt(10),
    RATE_LIMIT_EXPORTS_TENANT_PER_HOUR: positiveInt(30),
    RATE_LIMIT_EXPORTS_IP_PER_HOUR: positiveInt(30),
    RATE_LIMIT_WINDOW_SECONDS: positiveInt(900),
    TRPC_MAX_BODY_BYTES: positiveInt(1_048_576),
    // Knowledge embeddings (src/server/services/knowledge/embeddings.ts): none = full-text search only;
    // test = deterministic local hashing embedder; openai-compatible = EMBEDDINGS_BASE_URL + _MODEL (+ _API_KEY).
    EMBEDDINGS_PROVIDER: z.enum(["none", "test", "openai-compatible"]).default("none"),
    EMBEDDINGS_BASE_URL: z.url().optional(),
    EMBEDDINGS_API_KEY: z.string().min(1).optional(),
    EMBEDDINGS_MODEL: z.string().min(1).optional(),
    EMBEDDINGS_DIMENSIONS: z.coerce.number().int().positive().max(16_000).optional(),
    EMBEDDINGS_BATCH_SIZE: positiveInt(64),
    // Document ingestion runs at once across all tenants (each tenant is also capped at 2).
    KNOWLEDGE_INGEST_CONCURRENCY: positiveInt(4),
    // Admission control (src/server/services/admission/admission.ts): a workspace's queued + running
    // meetings / tasks above which a new one (create, resume, retry) is refused with 429 workQueueFull.
    ADMISSION_MAX_QUEUED_MEETINGS_PER_TENANT: positiveInt(20),
    ADMISSION_MAX_QUEUED_TASKS_PER_TENANT: positiveInt(50),
    // Object storage for uploaded originals (src/server/infra/storage, docs/runbooks/storage.md).
    // fs (the default): files under STORAGE_FS_ROOT, else <OCSUITE_DATA_DIR or .data>/storage.
    // s3: any S3-compatible store (AWS S3, MinIO, Cloudflare R2); S3_BUCKET is then required.
    OCSUITE_DATA_DIR: z.string().min(1).optional(),
    STORAGE_DRIVER: z.enum(["fs", "s3"]).default("fs"),
    STORAGE_FS_ROOT: z.string().min(1).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid bucket name (3-63 lowercase letters, digits, dots, hyphens)")
      .optional(),
    // Unset: the AWS SDK's default credential chain (instance/task role, AWS_* variables).
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    // true for MinIO and most self-hosted stores (https://host/bucket/key instead of bucket.host).
    S3_FORCE_PATH_STYLE: bool,
    // Data residency: a storage per region (see storageRegions above).
    STORAGE_REGIONS: storageRegions,
    // Knowledge uploads: the largest file accepted (bytes, ≤ 1 GiB) and each workspace's total.
    KNOWLEDGE_MAX_FILE_BYTES: z.coerce.number().int().positive().max(1_073_741_824).default(26_214_400),
    KNOWLEDGE_TENANT_QUOTA_BYTES: positiveInt(1_073_741_824),
    // Full data export (issue 16, docs/policies/data-export.md): the largest archive built (bytes;
    // ≤ 4 GiB, the zip format without Zip64: fflate writes none), how long a ready archive is kept
    // and its download link valid (hours).
    EXPORT_MAX_BYTES: z.coerce.number().int().positive().max(4_000_000_000).default(2_147_483_648),
    EXPORT_RETENTION_HOURS: z.coerce.number().int().positive().max(720).default(168),
    // Document uploads per user per minute (each file is one request).
    RATE_LIMIT_UPLOADS_PER_MINUTE: positiveInt(120),
    RATE_LIMIT_UPLOADS_TENANT_PER_MINUTE: positiveInt(600),
    RATE_LIMIT_UPLOADS_IP_PER_MINUTE: positiveInt(600),
    // Workspaces a user may create per hour: each one is rows, a slug and an audit chain,
    // so a script with one account must not mint them without end.
    RATE_LIMIT_TENANT_CREATE_PER_HOUR: positiveInt(10),
    // Telemetry: the service name on spans, logs and metrics (the worker sets its own).
    OTEL_SERVICE_NAME: z.string().min(1).default("ocsuite-web"),
    // The OTLP/HTTP collector (the standard variable; signals append /v1/<signal>).
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    // Spans are pushed over OTLP/HTTP (JSON) when this or the base endpoint is set (this one wins;
    // the base one gets /v1/traces appended). Unset: spans exist for log correlation, not exported.
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
    // Metrics are pushed over OTLP/HTTP (JSON) when this or the base endpoint is set (this one wins;
    // the base one gets /v1/metrics appended); /api/metrics serves them either way.
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: z.url().optional(),
    // Milliseconds between OTLP metric pushes (the OTel default, 60 s); serverless hosts want less.
    OTEL_METRIC_EXPORT_INTERVAL: positiveInt(60_000),
    ...inngestServer,
    // The worker fleet's HTTP server (scripts/worker.ts). 0.0.0.0: a worker is a fleet member
    // reached by Inngest over the network; set 127.0.0.1 for a single machine.
    WORKER_PORT: z.coerce.number().int().min(1).max(65_535).default(3030),
    WORKER_HOST: z.string().min(1).default("0.0.0.0"),
  },
  client: {},
  experimental__runtimeEnv: {},
  // `next build` must not need runtime secrets; everything is validated when the
  // server starts instead (instrumentation.ts imports this module).
  skipValidation: !!process.env.SKIP_ENV_VALIDATION || isBuild,
  emptyStringAsUndefined: true,
  // Rules across variables; each issue names the variable to fix.
  createFinalSchema: (shape) =>
    z.object(shape).superRefine((v, ctx) => {
      if (v.OCSUITE_KEY_VAULT === "vault")
        for (const name of /** @type {const} */ (["VAULT_ADDR", "VAULT_TOKEN"])) if (!v[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when OCSUITE_KEY_VAULT=vault" });
      if (v.STORAGE_DRIVER === "s3" && !v.S3_BUCKET) ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required when STORAGE_DRIVER=s3" });
      if (!v.S3_ACCESS_KEY_ID !== !v.S3_SECRET_ACCESS_KEY)
        ctx.addIssue({ code: "custom", path: [v.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"], message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together" });
    }),
  onValidationError: (issues) => {
    const lines = issues.map((i) => `  - ${(i.path ?? []).join(".")}: ${i.message}`);
    const message = `Invalid environment configuration:\n${lines.join("\n")}\nSee the configuration table in README.md.`;
    console.error(message);
    throw new Error(message);
  },
});

/** OIDC is on when all three of issuer, client id and secret are set. */
export const oidcEnabled = () => !!(env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_CLIENT_ID && env.AUTH_OIDC_CLIENT_SECRET);
