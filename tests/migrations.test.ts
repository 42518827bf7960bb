/**
 * Migration drift: schema.prisma must not change without a migration.
 * `npm run db:migration:new` writes a migration and refreshes
 * prisma/migrations/schema.snapshot.prisma (the schema the migrations produce);
 * if schema.prisma differs from the snapshot, someone changed the schema
 * without a migration.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const PRISMA = path.join(ROOT, "node_modules", ".bin", "prisma");
const SNAPSHOT = "prisma/migrations/schema.snapshot.prisma";
const SCHEMA = "prisma/schema.prisma";

const prisma = (...args: string[]) =>
  spawnSync(PRISMA, args, {
    cwd: ROOT,
    // Any reachable database will do; the diff itself is offline.
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });

const modelsOf = (file: string) => [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1]!);
const enumsOf = (file: string) => [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/^enum\s+(\w+)\s*\{/gm)].map((m) => m[1]!);

describe("migrations", () => {
  it("schema.prisma has no changes that no migration carries", () => {
    const r = prisma("migrate", "diff", "--from-schema-datamodel", SNAPSHOT, "--to-schema-datamodel", SCHEMA, "--exit-code");
    expect(r.error).toBeUndefined();
    // --exit-code: 0 = no difference, 2 = difference, 1 = error
    expect(r.status, `prisma migrate diff reported drift or failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  });

  it("the snapshot's from-empty script creates every model and enum of the schema", () => {
    const r = prisma("migrate", "diff", "--from-empty", "--to-schema-datamodel", SNAPSHOT, "--script");
    expect(r.status, r.stderr).toBe(0);
    const models = modelsOf(SCHEMA);
    expect(models.length).toBeGreaterThanOrEqual(10);
    for (const m of models) expect(r.stdout, `model ${m}`).toContain(`CREATE TABLE "${m}"`);
    for (const e of enumsOf(SCHEMA)) expect(r.stdout, `enum ${e}`).toContain(`CREATE TYPE "${e}"`);
  });

  it("the committed migrations create every model table", () => {
    const dir = path.join(ROOT, "prisma", "migrations");
    const sql = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => readFileSync(path.join(dir, d.name, "migration.sql"), "utf8"))
      .join("\n");
    for (const m of modelsOf(SCHEMA)) expect(sql, `model ${m}`).toContain(`CREATE TABLE "${m}"`);
  });

  it("a changed schema IS detected as drift (the check can fail)", () => {
    const r = prisma("migrate", "diff", "--from-schema-datamodel", SNAPSHOT, "--to-schema-datamodel", "tests/support/drifted.schema.prisma", "--exit-code");
    expect(r.status).toBe(2);
  });
});
