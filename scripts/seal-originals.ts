/**
 * Seals what was stored before content was encrypted, so that a workspace deletion's
 * crypto-shredding covers it too: the data keys wrapped by the master keys alone are moved under
 * their workspace's key-vault key (ADR 0016, services/key-rotation/vault-migration.ts), then the
 * database's content columns with their blind search indexes (ADR 0015,
 * services/secrets/content-backfill.ts), then the document originals (ADR 0014). Run
 * once after upgrading; safe to rerun (it only touches what is still plaintext) and to interrupt.
 *
 *   npm run content:seal                        # every workspace (alias: npm run originals:seal)
 *   npm run content:seal -- --tenant <id|slug>  # one workspace
 *
 * (= node --conditions=react-server --import tsx scripts/seal-originals.ts …)
 * Needs the app's configuration: DATABASE_URL, OCSUITE_MASTER_KEYS and the storage settings
 * (STORAGE_DRIVER, S3_*, STORAGE_REGIONS) as the app has them; with the embedded default
 * (`npm start`) running, its database and master keys are found in .data/.
 * Prints the counts; exit 0 when done, 1 when an object it replaced could not be deleted (listed
 * in the log as an orphaned object), 2 on a usage or connection error. Audited on the platform
 * chain as documents.originals_sealed (counts only).
 */
import path from "node:path";
import { applyEmbeddedDefaults } from "./lib/cli-env";

const ROOT = path.resolve(import.meta.dirname, "..");
const USAGE = "usage: npm run content:seal [-- --tenant <id|slug>]\n";

const parseTenant = (argv: string[]): { tenant?: string; help: boolean } => {
  const out: { tenant?: string; help: boolean } = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") out.help = true;
    else if (a === "--tenant") out.tenant = argv[++i] ?? "";
    else if (a.startsWith("--tenant=")) out.tenant = a.slice("--tenant=".length);
    else throw new Error(`unknown argument: ${a}`);
  }
  if (out.tenant === "") throw new Error("--tenant needs a tenant id or slug");
  return out;
};

const main = async (): Promise<number> => {
  let args: { tenant?: string; help: boolean };
  try {
    args = parseTenant(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`content:seal: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  applyEmbeddedDefaults(ROOT);
  if (!process.env.DATABASE_URL) {
    process.stderr.write("content:seal: set DATABASE_URL (or start the embedded default with npm start)\n");
    return 2;
  }
  const { db } = await import("../src/server/db/client");
  const { sealLegacyOriginals } = await import("../src/server/services/knowledge/original-backfill");
  const { sealLegacyContent } = await import("../src/server/services/secrets/content-backfill");
  const { moveDataKeysUnderVault } = await import("../src/server/services/key-rotation/vault-migration");
  try {
    let tenantId: string | undefined;
    if (args.tenant) {
      const t = await db.tenant.findFirst({ where: { OR: [{ id: args.tenant }, { slug: args.tenant.toLowerCase() }] }, select: { id: true } });
      if (!t) {
        process.stderr.write(`content:seal: no tenant with id or slug "${args.tenant}"\n`);
        return 2;
      }
      tenantId = t.id;
    }
    const k = await moveDataKeysUnderVault({ tenantId });
    process.stdout.write(`keys: moved ${k.dataKeysMoved} data keys of ${k.tenants} workspaces under the workspace key vault\n`);
    const c = await sealLegacyContent({ tenantId });
    const perModel = Object.entries(c.perModel).map(([model, n]) => `${model} ${n}`).join(", ");
    process.stdout.write(`content: sealed ${c.rows} rows (${perModel})\n`);
    const r = await sealLegacyOriginals({ tenantId });
    process.stdout.write(`originals: sealed ${r.sealed}, missing ${r.missing}, changed meanwhile ${r.skipped}, orphaned objects ${r.orphanedObjects}\n`);
    return r.orphanedObjects === 0 ? 0 : 1;
  } catch (err) {
    process.stderr.write(`content:seal: ${(err as Error).message}\n`);
    return 2;
  } finally {
    await db.$disconnect();
  }
};

process.exitCode = await main();
