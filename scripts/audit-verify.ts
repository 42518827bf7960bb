/**
 * Verifies audit hash chains and reports the first broken link.
 *
 *   npm run audit:verify                       # the platform chain
 *   npm run audit:verify -- --tenant <id|slug> # one tenant's chain
 *   npm run audit:verify -- --all              # the platform chain and every tenant's
 *
 * (= node --conditions=react-server --import tsx scripts/audit-verify.ts …,
 * like the worker: `react-server` makes `import "server-only"` a no-op.)
 * Exit code 0 when every checked chain is intact, 1 when one is broken, 2 on a
 * usage or connection error. Needs DATABASE_URL; with the embedded default
 * (`npm start`) running, it falls back to that database, on the port
 * `npm start` wrote to .data/pg.port.
 * Read-only: it writes nothing, not even an audit event.
 */
import path from "node:path";
import { applyEmbeddedDefaults } from "./lib/cli-env";

const ROOT = path.resolve(import.meta.dirname, "..");

type Args = { tenant?: string; all: boolean; help: boolean };

const parseArgs = (argv: string[]): Args => {
  const args: Args = { all: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--all") args.all = true;
    else if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--tenant") args.tenant = argv[++i];
    else if (a.startsWith("--tenant=")) args.tenant = a.slice("--tenant=".length);
    else throw new Error(`unknown argument: ${a}`);
  }
  if (args.tenant !== undefined && !args.tenant) throw new Error("--tenant needs a tenant id or slug");
  if (args.tenant && args.all) throw new Error("use either --tenant or --all");
  return args;
};

const main = async (): Promise<number> => {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`audit:verify: ${(err as Error).message}\nusage: npm run audit:verify [-- --tenant <id|slug> | --all]\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write("usage: npm run audit:verify [-- --tenant <id|slug> | --all]\n");
    return 0;
  }
  applyEmbeddedDefaults(ROOT);
  if (!process.env.DATABASE_URL) {
    process.stderr.write("audit:verify: set DATABASE_URL (or start the embedded default with npm start)\n");
    return 2;
  }
  const { db } = await import("../src/server/db/client");
  const { PLATFORM_CHAIN, verifyAuditChain } = await import("../src/server/services/audit/audit");
  try {
    let chains: { chain: string; label: string }[];
    if (args.tenant) {
      const t = await db.tenant.findFirst({ where: { OR: [{ id: args.tenant }, { slug: args.tenant.toLowerCase() }] }, select: { id: true, slug: true } });
      if (!t) {
        process.stderr.write(`audit:verify: no tenant with id or slug "${args.tenant}"\n`);
        return 2;
      }
      chains = [{ chain: t.id, label: `tenant ${t.slug} (${t.id})` }];
    } else if (args.all) {
      // Every chain that has events, including those of deleted tenants.
      const rows = await db.auditEvent.findMany({ distinct: ["chain"], select: { chain: true }, orderBy: { chain: "asc" } });
      const tenants = await db.tenant.findMany({ where: { id: { in: rows.map((r) => r.chain) } }, select: { id: true, slug: true } });
      const slugs = new Map(tenants.map((t) => [t.id, t.slug]));
      chains = [
        { chain: PLATFORM_CHAIN, label: "platform" },
        ...rows.filter((r) => r.chain !== PLATFORM_CHAIN).map((r) => ({ chain: r.chain, label: slugs.has(r.chain) ? `tenant ${slugs.get(r.chain)} (${r.chain})` : `chain ${r.chain} (no such tenant now)` })),
      ];
    } else {
      chains = [{ chain: PLATFORM_CHAIN, label: "platform" }];
    }

    let broken = 0;
    for (const c of chains) {
      const r = await verifyAuditChain(c.chain);
      if (r.ok) {
        process.stdout.write(`ok      ${c.label}: ${r.checked} events\n`);
      } else {
        broken += 1;
        process.stdout.write(`BROKEN  ${c.label}: first broken link at seq ${r.firstBrokenSeq} (event ${r.firstBrokenId}); ${r.checked} events before it verified\n`);
      }
    }
    process.stdout.write(broken === 0 ? `${chains.length} chain(s) verified, all intact\n` : `${broken} of ${chains.length} chain(s) broken\n`);
    return broken === 0 ? 0 : 1;
  } catch (err) {
    process.stderr.write(`audit:verify: ${(err as Error).message}\n`);
    return 2;
  } finally {
    await db.$disconnect();
  }
};

process.exitCode = await main();
