#!/usr/bin/env node
// Applies pending migrations to DATABASE_URL (prisma migrate deploy with the
// offline JS schema engine configured in prisma.config.ts).
import { runPrisma } from "./lib/prisma.mjs";

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL must be set (npm start sets it for the embedded database)");
  process.exit(2);
}
await runPrisma(["migrate", "deploy"]);
