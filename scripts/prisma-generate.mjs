#!/usr/bin/env node
// `prisma generate` offline. The CLI reads the schema's datasource url while
// deciding which engine it needs; without DATABASE_URL that read fails and it
// falls back to downloading a Rust engine (no network here). Generation never
// connects, so a placeholder URL is enough.
import { runPrisma } from "./lib/prisma.mjs";

await runPrisma(["generate"], { DATABASE_URL: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/placeholder" });
console.log("prisma: client generated in src/server/db/generated");
