/**
 * Makes an existing, verified account a platform admin: the bootstrap of the
 * first admin, when nobody can yet do it from Admin → Users.
 *
 *   npm run admin:grant -- <email> [--reason "<why>"]
 *
 * (= node --conditions=react-server --import tsx scripts/admin-grant.ts …, like
 * audit:verify.) Goes through the same service as admin.grantPlatformAdmin
 * (src/server/services/admin/platform-admins.ts): refused for a disabled or
 * unverified account, and audited on the platform chain as SYSTEM with the
 * reason. Once one admin exists, grant and revoke from the admin panel instead,
 * so the acting admin is on record. Exit 0 when the account is an admin
 * afterwards, 1 when refused (no such account, disabled, unverified), 2 on a
 * usage or connection error. Needs DATABASE_URL, or the embedded default running.
 */
import path from "node:path";
import { applyEmbeddedDefaults } from "./lib/cli-env";

const ROOT = path.resolve(import.meta.dirname, "..");
const USAGE = 'usage: npm run admin:grant -- <email> [--reason "<why>"]\n';
const DEFAULT_REASON = "bootstrap: npm run admin:grant";

type Args = { email: string; reason: string } | { help: true };

const parseArgs = (argv: string[]): Args => {
  let email: string | undefined;
  let reason = DEFAULT_REASON;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") return { help: true };
    if (a === "--reason") reason = argv[++i] ?? "";
    else if (a.startsWith("--reason=")) reason = a.slice("--reason=".length);
    else if (a.startsWith("-")) throw new Error(`unknown option: ${a}`);
    else if (email === undefined) email = a;
    else throw new Error(`unexpected argument: ${a}`);
  }
  if (!email) throw new Error("an email address is required");
  return { email, reason };
};

const main = async (): Promise<number> => {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`admin:grant: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if ("help" in args) {
    process.stdout.write(USAGE);
    return 0;
  }
  applyEmbeddedDefaults(ROOT);
  if (!process.env.DATABASE_URL) {
    process.stderr.write("admin:grant: set DATABASE_URL (or start the embedded default with npm start)\n");
    return 2;
  }
  const { z } = await import("zod");
  const email = z.email().safeParse(args.email.trim().toLowerCase());
  if (!email.success) {
    process.stderr.write(`admin:grant: not an email address: ${args.email}\n${USAGE}`);
    return 2;
  }
  const { db } = await import("../src/server/db/client");
  const { isAppError } = await import("../src/server/errors");
  const { grantPlatformAdmin, ZPlatformAdminChange } = await import("../src/server/services/admin/platform-admins");
  try {
    const user = await db.user.findUnique({ where: { email: email.data }, select: { id: true } });
    if (!user) {
      process.stderr.write(`admin:grant: no account with the email ${email.data}; sign up first, then verify the address\n`);
      return 1;
    }
    const input = ZPlatformAdminChange.safeParse({ userId: user.id, reason: args.reason });
    if (!input.success) {
      process.stderr.write(`admin:grant: the reason must be 3 to 500 characters\n${USAGE}`);
      return 2;
    }
    const result = await grantPlatformAdmin(input.data, { system: "cli" });
    process.stdout.write(result.changed ? `${email.data} is now a platform admin (audited as user.platform_admin_granted)\n` : `${email.data} is already a platform admin; nothing changed\n`);
    return 0;
  } catch (err) {
    if (isAppError(err) && (err.code === "CONFLICT" || err.code === "NOT_FOUND")) {
      process.stderr.write(`admin:grant: refused (${err.reason}): ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`admin:grant: ${(err as Error).message}\n`);
    return 2;
  } finally {
    await db.$disconnect();
  }
};

process.exitCode = await main();
