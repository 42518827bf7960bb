/**
 * The launch check's view of the configuration: what the app would run with
 * on this machine. `npm start` (scripts/start.mjs) fills every secret the
 * operator left unset from a file it generates into the data folder
 * (auth-secret, master-keys, metrics-token, inngest-signing-key via
 * scripts/lib/jobs-env.mjs) and switches on the dev mailbox and private
 * provider URLs when it serves on loopback (scripts/lib/host-policy.mjs).
 * Those are the embedded default: right for one person trying the product,
 * wrong for a deployment, because the keys then live in the data folder, so
 * every copy of it (a backup, a disk image) carries the keys together with the
 * data they protect, and nothing outside the machine (a secret store, the
 * rotation runbooks) knows them. This module replays those rules without
 * writing anything and turns each into a row.
 *
 * It reads the raw environment on purpose, like scripts/start.mjs: it judges
 * what src/env.js would be given (src/env.js itself is the env-schema row), and
 * OCSUITE_BACKUPS_CONFIGURED is read by this command alone, not by the app, so
 * it is not declared in src/env.js (the README's configuration table lists it).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { exposurePolicy } from "../host-policy.mjs";
import { failInProduction, row, type Mode, type Row } from "./report";

type Env = Record<string, string | undefined>;

/** The files npm start generates a secret into when the variable is unset. */
const GENERATED_FILES = {
  AUTH_SECRET: "auth-secret",
  OCSUITE_MASTER_KEYS: "master-keys",
  METRICS_TOKEN: "metrics-token",
  INNGEST_SIGNING_KEY: "inngest-signing-key",
} as const;
type SecretName = keyof typeof GENERATED_FILES;

export type Configuration = {
  /** What the operator set (the shell plus --env-file). */
  operator: Env;
  /** What the app would run with under npm start on this machine. */
  effective: Env;
  dataDir: string;
  /** No DATABASE_URL: npm start serves embedded PGlite. */
  embedded: boolean;
  /** npm start would run the local Inngest executor (ADR 0007). */
  localExecutor: boolean;
  generated: Partial<Record<SecretName, string>>;
};

const on = (v: string | undefined) => v === "1" || v === "true";

const readGenerated = (dataDir: string, file: string) => {
  const p = path.join(dataDir, file);
  return existsSync(p) ? readFileSync(p, "utf8").trim() : undefined;
};

export const resolveConfiguration = (operator: Env, root: string): Configuration => {
  const dataDir = path.resolve(root, operator.OCSUITE_DATA_DIR ?? ".data");
  const generated: Configuration["generated"] = {};
  for (const [name, file] of Object.entries(GENERATED_FILES) as [SecretName, string][]) {
    const value = readGenerated(dataDir, file);
    if (value) generated[name] = value;
  }
  const effective: Env = { ...operator };
  const embedded = !operator.DATABASE_URL;
  // The embedded database, when npm start is running it (the port it took is in pg.port).
  if (embedded && existsSync(path.join(dataDir, "pg.lock"))) {
    const port = readGenerated(dataDir, "pg.port") ?? operator.OCSUITE_PG_PORT ?? "54320";
    effective.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  for (const name of ["AUTH_SECRET", "OCSUITE_MASTER_KEYS", "METRICS_TOKEN"] as const) effective[name] ??= generated[name];
  const localExecutor = !operator.INNGEST_SIGNING_KEY && !operator.INNGEST_DEV && !operator.INNGEST_BASE_URL && operator.OCSUITE_LOCAL_EXECUTOR !== "0";
  if (localExecutor) {
    effective.INNGEST_SIGNING_KEY = generated.INNGEST_SIGNING_KEY;
    effective.INNGEST_EVENT_KEY = readGenerated(dataDir, "inngest-event-key");
  }
  Object.assign(effective, exposurePolicy({ env: operator, embedded }).env);
  return { operator, effective, dataDir, embedded, localExecutor, generated };
};

const SECRET_FIX = "docs/runbooks/self-hosting.md#secrets: generate it (openssl rand -base64 32) into the environment file, outside the data folder";
const FIX: Record<SecretName, string> = {
  AUTH_SECRET: SECRET_FIX,
  OCSUITE_MASTER_KEYS: "docs/runbooks/key-rotation.md and packages/crypto/README.md: OCSUITE_MASTER_KEYS=1:$(openssl rand -base64 32), kept in a secret store, never beside the database",
  METRICS_TOKEN: `${SECRET_FIX}; give Prometheus the same token (ops/prometheus)`,
  INNGEST_SIGNING_KEY: "docs/runbooks/self-hosting.md#background-jobs: INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY from Inngest Cloud or a self-hosted Inngest",
};

const secretRow = (c: Configuration, name: SecretName, check: string): Row => {
  const value = c.operator[name];
  const file = path.join(c.dataDir, GENERATED_FILES[name]);
  if (!value) return row(check, "fail", `${name} unset: npm start falls back to the one it generates into ${file} (the embedded default)`, FIX[name]);
  if (value === c.generated[name]) return row(check, "fail", `${name} is the embedded default (the value npm start generated into ${file})`, FIX[name]);
  return row(check, "pass", `${name} set, not the generated default`);
};

const inngestKeyRow = (c: Configuration, mode: Mode): Row => {
  const check = "secret-inngest-signing-key";
  if (c.operator.INNGEST_DEV)
    return row(check, "fail", `INNGEST_DEV=${c.operator.INNGEST_DEV}: the serve endpoint runs in dev mode and accepts unsigned requests`, FIX.INNGEST_SIGNING_KEY);
  if (c.operator.INNGEST_SIGNING_KEY) return secretRow(c, "INNGEST_SIGNING_KEY", check);
  if (c.localExecutor)
    return row(
      check,
      failInProduction(mode),
      `INNGEST_SIGNING_KEY unset: npm start runs the local executor (ADR 0007, one machine) signing with the key it generated into ${path.join(c.dataDir, GENERATED_FILES.INNGEST_SIGNING_KEY)}`,
      FIX.INNGEST_SIGNING_KEY,
    );
  return row(check, "fail", "INNGEST_SIGNING_KEY unset with an Inngest server configured: cloud mode refuses every call", FIX.INNGEST_SIGNING_KEY);
};

const devOnlyRows = (c: Configuration, mode: Mode): Row[] => {
  const mailbox = !c.effective.SMTP_URL && on(c.effective.DEV_MAILBOX);
  const why = c.operator.DEV_MAILBOX ? `DEV_MAILBOX=${c.operator.DEV_MAILBOX}` : "npm start turns it on when serving on loopback";
  const privateUrls = on(c.effective.OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS);
  const privateWhy = c.operator.OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS ? "set by the operator" : "npm start sets it for the embedded default on loopback";
  return [
    mailbox
      ? row("dev-mailbox", "fail", `dev mailbox on (no SMTP_URL; ${why}): /en/dev/mailbox shows every sign-in link and invitation`, "unset DEV_MAILBOX and set SMTP_URL (docs/runbooks/deploy.md, Before the first deploy, step 5)")
      : row("dev-mailbox", "pass", c.effective.SMTP_URL ? "off: SMTP_URL is set" : "off: DEV_MAILBOX is off"),
    privateUrls
      ? row("private-provider-urls", "fail", `OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS=true (${privateWhy}): a workspace admin can point a provider at this network's private services`, "set OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS=false (src/server/infra/outbound-fetch.ts)")
      : row("private-provider-urls", "pass", "off: provider URLs must be https to public addresses"),
    testSeamsRow(c),
    c.embedded
      ? row("database", failInProduction(mode), "DATABASE_URL unset: embedded PGlite in the data folder (one process, no replicas, no point-in-time recovery; ADR 0008)", "set DATABASE_URL to PostgreSQL 15+ (docs/runbooks/deploy.md, Before the first deploy, step 2)")
      : row("database", "pass", `DATABASE_URL set (${safeUrl(c.operator.DATABASE_URL!)})`),
  ];
};

/** Seams for the e2e suite and the benchmarks (src/env.js says: never on a deployment). */
const testSeamsRow = (c: Configuration): Row => {
  const set = [on(c.effective.E2E_PAGE_FAULTS) && "E2E_PAGE_FAULTS (fails pages on request)", c.effective.OCSUITE_PERF_PROXY_TARGET && "OCSUITE_PERF_PROXY_TARGET (opens /api/perf/proxy)"].filter(Boolean);
  if (set.length) return row("test-seams", "fail", `set: ${set.join(", ")}`, "unset them: they exist for the e2e suite and perf/ benchmarks only (src/env.js)");
  return row("test-seams", "pass", "E2E_PAGE_FAULTS and OCSUITE_PERF_PROXY_TARGET unset");
};

/** The workspace key vault (ADR 0016): without one, backups of a deleted workspace stay readable with the master keys. */
const keyVaultRow = (c: Configuration, mode: Mode): Row => {
  const kind = c.effective.OCSUITE_KEY_VAULT ?? "file";
  const fix = "docs/runbooks/key-vault.md: OCSUITE_KEY_VAULT=file on one machine, vault (VAULT_ADDR, VAULT_TOKEN) in a fleet";
  if (kind === "none") return row("key-vault", failInProduction(mode), "OCSUITE_KEY_VAULT=none: database backups of a deleted workspace stay readable with the master keys until they expire", fix);
  if (kind === "vault") {
    const missing = (["VAULT_ADDR", "VAULT_TOKEN"] as const).filter((name) => !c.effective[name]);
    if (missing.length) return row("key-vault", "fail", `OCSUITE_KEY_VAULT=vault without ${missing.join(" and ")}: the app will not start`, fix);
    return row("key-vault", "pass", `vault: Vault transit at ${safeUrl(c.effective.VAULT_ADDR!)}, mount ${c.effective.VAULT_TRANSIT_MOUNT ?? "transit"}`);
  }
  const dir = path.resolve(c.effective.OCSUITE_KEY_VAULT_DIR ?? path.join(c.dataDir, "key-vault"));
  return row("key-vault", "pass", `file: one key per workspace in ${dir} (one machine only; back it up apart from the database)`);
};

/** A URL without its password, for a detail column that may end up in a CI log. */
export const safeUrl = (url: string) => {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(not a URL)";
  }
};

export const configurationRows = (c: Configuration, mode: Mode): Row[] => [
  secretRow(c, "AUTH_SECRET", "secret-auth"),
  secretRow(c, "OCSUITE_MASTER_KEYS", "secret-master-keys"),
  secretRow(c, "METRICS_TOKEN", "secret-metrics-token"),
  inngestKeyRow(c, mode),
  keyVaultRow(c, mode),
  ...devOnlyRows(c, mode),
  c.operator.OCSUITE_BACKUPS_CONFIGURED === "true"
    ? row("backups", "pass", "OCSUITE_BACKUPS_CONFIGURED=true: the operator attests scheduled database backups (and the data folder or bucket) exist and a restore was tested")
    : row("backups", failInProduction(mode), "OCSUITE_BACKUPS_CONFIGURED is not true: nobody has attested that backups run and restore", "docs/runbooks/self-hosting.md#backups, then set OCSUITE_BACKUPS_CONFIGURED=true"),
];
