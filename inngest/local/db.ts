/**
 * A Prisma client for processes that run the executor outside Next (the CLI in
 * main.ts, tests' child processes). Same generated client and adapter as
 * src/server/db/client.ts, without its server-only/env imports.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/server/db/generated/client";
import { pgConfigFromUrl } from "~/server/db/pg-config";

export const createExecutorDb = (url: string, max = 10) => new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl(url, { max })) });
