// Prisma CLI configuration. We use Prisma 6.19 with the JS schema engine so every
// migrate command works offline (Prisma 7's CLI downloads a Rust binary; see
// docs/adr/0002-prisma-js-engine.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { pgConfigFromUrl } from "./src/server/db/pg-config";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL must be set to run Prisma migrate commands");
    // A pg config object, not a connectionString: with a connection string the
    // adapter's shadow-database switch silently targets the main database.
    return new PrismaPg(pgConfigFromUrl(url));
  },
});
