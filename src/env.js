// Validated environment. A missing or malformed variable fails at start with a
// message that names it (see instrumentation.ts and scripts/start.mjs, which
// both import this file before serving anything). Every variable is listed in
// the README's configuration table.
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
    // Versioned master keys for tenant secrets: "1:<base64 32 bytes>,2:<…>" (highest is current;
    // see packages/crypto/README.md). npm start generates one into .data/ when unset.
    OCSUITE_MASTER_KEYS: z.string().regex(/^\d+:[A-Za-z0-9+/=_-]{43,}(,\d+:[A-Za-z0-9+/=_-]{43,})*$/, "must be 'version:base64key' pairs separated by commas").optional(),
    OCSUITE_MASTER_KEY_CURRENT: z.coerce.number().int().positive().optional(),
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
    // Chat turns (send, regenerate, retry) per user per minute.
    RATE_LIMIT_CHAT_PER_MINUTE: positiveInt(30),
    RATE_LIMIT_WINDOW_SECONDS: positiveInt(900),
    TRPC_MAX_BODY_BYTES: positiveInt(1_048_576),
  },
  client: {},
  experimental__runtimeEnv: {},
  // `next build` must not need runtime secrets; everything is validated when the
  // server starts instead (instrumentation.ts imports this module).
  skipValidation: !!process.env.SKIP_ENV_VALIDATION || isBuild,
  emptyStringAsUndefined: true,
  onValidationError: (issues) => {
    const lines = issues.map((i) => `  - ${(i.path ?? []).join(".")}: ${i.message}`);
    const message = `Invalid environment configuration:\n${lines.join("\n")}\nSee the configuration table in README.md.`;
    console.error(message);
    throw new Error(message);
  },
});

/** OIDC is on when all three of issuer, client id and secret are set. */
export const oidcEnabled = () => !!(env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_CLIENT_ID && env.AUTH_OIDC_CLIENT_SECRET);
