/**
 * Seals the document originals stored before originals were encrypted (ADR 0014), so that a
 * workspace deletion's crypto-shredding covers them too. Run once after upgrading; safe to rerun
 * (it only touches documents without a content key) and to interrupt.
 *
 *   npm run originals:seal                        # every workspace
 *   npm run originals:seal -- --tenant <id|slug>  # one workspace
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
const USAGE = "usage: npm run originals:seal [-- --tenant <id|slug>]\n";

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
    process.stderr.write(`originals:seal: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  applyEmbeddedDefaults(ROOT);
  if (!process.env.DATABASE_URL) {
    process.stderr.write("originals:seal: set DATABASE_URL (or start the embedded default with npm start)\n");
    return 2;
  }
  const { db } = await import("../src/server/db/client");
  const { sealLegacyOriginals } = await import("../src/server/services/knowledge/original-backfill");
  try {
    let tenantId: string | undefined;
    if (args.tenant) {
      const t = await db.tenant.findFirst({ where: { OR: [{ id: args.tenant }, { slug: args.tenant.toLowerCase() }] }, select: { id: true } });
      if (!t) {
        process.stderr.write(`originals:seal: no tenant with id or slug "${args.tenant}"\n`);
        return 2;
      }
      tenantId = t.id;
    }
    const r = await sealLegacyOriginals({ tenantId });
    process.stdout.write(`sealed ${r.sealed}, missing ${r.missing}, changed meanwhile ${r.skipped}, orphaned objects ${r.orphanedObjects}\n`);
    return r.orphanedObjects === 0 ? 0 : 1;
  } catch (err) {
    process.stderr.write(`originals:seal: ${(err as Error).message}\n`);
    return 2;
  } finally {
    await db.$disconnect();
  }
};

process.exitCode = await main();
