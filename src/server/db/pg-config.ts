import type { PoolConfig } from "pg";

/**
 * Turns a postgres:// URL into the discrete pg config object that
 * `@prisma/adapter-pg` needs (see prisma.config.ts for why not a URL).
 * Kept free of server-only imports: the Prisma CLI and scripts load it too.
 */
export const pgConfigFromUrl = (url: string, extra: PoolConfig = {}): PoolConfig => {
  const u = new URL(url);
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new Error(`DATABASE_URL must be a postgres:// URL, got protocol ${u.protocol}`);
  }
  const sslmode = u.searchParams.get("sslmode");
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "") || "postgres"),
    ...(sslmode && sslmode !== "disable" ? { ssl: { rejectUnauthorized: sslmode === "verify-full" } } : {}),
    ...extra,
  };
};
