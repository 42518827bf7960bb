/**
 * The go-live preflight: checks a deployment from the outside (HTTP against its
 * base URL) and its configuration from the inside (this machine's environment,
 * validated by src/env.js, and its database, mail server, storage and
 * collector), and prints one row per check with how to fix a failure.
 *
 *   npm run launch:check -- <base URL> [--env-file <file>]… [--json] [--mode production|staging] [--timeout-ms N]
 *
 * (= node --conditions=react-server --import tsx scripts/launch-check.ts …,
 * like audit:verify.) Run it on a machine with the deployment's configuration:
 * the server itself, or CI with the same secrets. `--env-file` loads the file
 * the service uses (ops/systemd/ocsuite.env.example) on top of the shell's.
 * Without DATABASE_URL it checks what `npm start` would run with: the embedded
 * default, whose generated secrets and dev-only settings are reported as
 * failures. Exit 0 when nothing failed, 1 when a check failed, 2 on a usage
 * error. docs/launch-checklist.md says when to run it and who signs it off.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { configurationRows, resolveConfiguration } from "./lib/launch-check/config";
import { outsideChecks, signedIntrospection } from "./lib/launch-check/outside";
import { formatTable, summary, type Row } from "./lib/launch-check/report";
import { envSchemaRow, inngestSyncRow, migrationRows, otlpRows, smtpRow, storageRow } from "./lib/launch-check/services";

const ROOT = path.resolve(import.meta.dirname, "..");
const USAGE = "usage: npm run launch:check -- <base URL> [--env-file <file>]… [--json] [--mode production|staging] [--timeout-ms N]\n";

const ZArgs = z.object({
  base: z.url({ protocol: /^https?$/, error: "the base URL must be an http(s) URL, e.g. https://ocsuite.example.com" }),
  envFiles: z.array(z.string().min(1)),
  json: z.boolean(),
  mode: z.enum(["production", "staging"]),
  timeoutMs: z.coerce.number().int().positive().max(120_000),
});

const parse = (argv: string[]) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "env-file": { type: "string", multiple: true },
      json: { type: "boolean" },
      mode: { type: "string" },
      "timeout-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true as const };
  return ZArgs.parse({ base: positionals[0], envFiles: values["env-file"] ?? [], json: values.json ?? false, mode: values.mode ?? "production", timeoutMs: values["timeout-ms"] ?? 5000 });
};

const main = async (): Promise<number> => {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    const issues = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : (err as Error).message;
    process.stderr.write(`launch:check: ${issues}\n${USAGE}`);
    return 2;
  }
  if ("help" in args) {
    process.stdout.write(USAGE);
    return 0;
  }
  for (const file of args.envFiles) process.loadEnvFile(file);
  const config = resolveConfiguration({ ...process.env }, ROOT);
  // From here on the process runs with what the app would see, so src/env.js and the storage driver judge that.
  for (const key of Object.keys(process.env)) if (!(key in config.effective)) delete process.env[key];
  for (const [key, value] of Object.entries(config.effective)) if (value !== undefined) process.env[key] = value;
  process.env.LOG_LEVEL = "silent";
  const base = new URL(args.base);
  const outside = { base, mode: args.mode, timeoutMs: args.timeoutMs, metricsToken: config.effective.METRICS_TOKEN, signingKey: config.effective.INNGEST_SIGNING_KEY };

  const schema = await envSchemaRow();
  const db = await migrationRows(config.effective.DATABASE_URL, ROOT, args.timeoutMs);
  const rows: Row[] = [
    schema.row,
    ...configurationRows(config, args.mode),
    ...db.rows,
    ...(await outsideChecks(outside)),
    await inngestSyncRow({ config, client: db.client, signed: () => signedIntrospection(outside) }),
    await smtpRow(config.effective.SMTP_URL, args.timeoutMs),
    await storageRow(schema.valid, config.effective),
    ...(await otlpRows(config.effective, args.mode, args.timeoutMs)),
  ];
  await db.client?.end().catch(() => undefined);

  const s = summary(rows);
  if (args.json) process.stdout.write(`${JSON.stringify({ base: base.origin, mode: args.mode, ok: s.fail === 0, summary: s, rows }, null, 2)}\n`);
  else process.stdout.write(`${formatTable(rows, `OC Suite launch check — ${base.origin} (${args.mode})`)}\n`);
  return s.fail === 0 ? 0 : 1;
};

// Exit explicitly: the Prisma client or an S3 pool imported by the probes may keep the loop alive.
process.exit(await main());
