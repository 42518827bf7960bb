#!/usr/bin/env node
// Authors a migration offline: diffs the schema as of the last migration
// (prisma/migrations/schema.snapshot.prisma) against prisma/schema.prisma and
// writes prisma/migrations/<timestamp>_<name>/migration.sql.
// Needs any reachable Postgres in DATABASE_URL (the diff itself is offline).
// Why not `prisma migrate dev`: with the JS schema engine it must introspect a
// live database, which fails on Postgres `name`/`char` columns (ADR 0002).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration:new -- <snake_case_name>");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "..");
const snapshot = path.join(root, "prisma/migrations/schema.snapshot.prisma");
const schema = path.join(root, "prisma/schema.prisma");
const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" };
const sql = execFileSync(
  path.join(root, "node_modules/.bin/prisma"),
  ["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"],
  { cwd: root, env, encoding: "utf8" },
);
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log("schema.prisma has no changes since the last migration; nothing written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(root, "prisma/migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
copyFileSync(schema, snapshot);
console.log(`wrote ${path.relative(root, dir)}/migration.sql and updated the schema snapshot`);
