/**
 * The environment an operator command (`npm run audit:verify`, `npm run
 * admin:grant`, `npm run originals:seal`) needs when the shell has none: with
 * the embedded default (`npm start`) running, its database, on the port
 * `npm start` wrote to .data/pg.port, and its master keys (.data/master-keys);
 * a throwaway AUTH_SECRET, since these commands sign nothing and the app's env
 * schema merely requires one; quiet logs.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const applyEmbeddedDefaults = (root: string) => {
  const dataDir = process.env.OCSUITE_DATA_DIR ?? path.join(root, ".data");
  if (!process.env.DATABASE_URL && existsSync(path.join(dataDir, "pg.lock"))) {
    const portFile = path.join(dataDir, "pg.port");
    const port = existsSync(portFile) ? readFileSync(portFile, "utf8").trim() : (process.env.OCSUITE_PG_PORT ?? "54320");
    process.env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  if (!process.env.AUTH_SECRET) {
    const file = path.join(dataDir, "auth-secret");
    process.env.AUTH_SECRET = existsSync(file) ? readFileSync(file, "utf8").trim() : randomBytes(32).toString("base64url");
  }
  // The embedded default's generated master keys (scripts/start.mjs), for a command that encrypts.
  const masterKeys = path.join(dataDir, "master-keys");
  if (!process.env.OCSUITE_MASTER_KEYS && existsSync(masterKeys)) process.env.OCSUITE_MASTER_KEYS = readFileSync(masterKeys, "utf8").trim();
  process.env.LOG_LEVEL ??= "silent";
};
