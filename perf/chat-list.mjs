#!/usr/bin/env node
/**
 * chat.list under open-loop load (issue 14: p95 ≤ 25 ms at 200 req/s with 10k
 * conversations in the tenant, PostgreSQL).
 *
 *   PERF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres PERF_REDIS_URL=redis://127.0.0.1:6379 \
 *     node --conditions=react-server --import tsx perf/chat-list.mjs [rate=200] [seconds=30] [conversations=10000]
 *
 * Boots the production stack with perf/load/stack.mjs (a fresh database on that
 * server, dropped at the end; needs `npm run build`), signs one user in over
 * HTTP, creates their workspace (tenant.create), writes `conversations`
 * conversations for them (INSERT … SELECT generate_series, then ANALYZE), and
 * sends GET /api/trpc/chat.list at `rate` requests per second, open loop: each
 * request leaves at its scheduled time whether or not earlier ones answered, and
 * its latency counts from that time (no coordinated omission). The baseline,
 * GET /api/health, is driven the same way in the same run (phases alternate:
 * health, chat.list, health, chat.list after a warm-up). Prints p50/p95/p99 and
 * the load average.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { Agent, request } from "undici";
import { boot, httpUser, SEED_PASSWORD } from "./load/stack.mjs";

const [rate = 200, seconds = 30, conversations = 10_000] = process.argv.slice(2).map(Number);
const log = (msg) => console.log(`[chat-list ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

/** `rate` requests/s for `secs` seconds, open loop; latencies from each request's scheduled time. */
const drive = async (dispatcher, url, headers, secs) => {
  const total = Math.round(rate * secs);
  const latencies = [];
  let errors = 0;
  const t0 = performance.now() + 20;
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const at = t0 + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(
      request(url, { dispatcher, headers })
        .then(async (res) => {
          await res.body.text();
          if (res.statusCode !== 200) errors++;
          latencies.push(performance.now() - at);
        })
        .catch(() => errors++),
    );
  }
  await Promise.all(inflight);
  return { n: total, errors, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: Math.max(...latencies) };
};

const main = async () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "ocsuite-chat-list-"));
  const procs = [];
  const stack = await boot(work, procs, {
    adminUrl: process.env.PERF_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    redisUrl: process.env.PERF_REDIS_URL ?? "redis://127.0.0.1:6379",
    log,
  });
  try {
    const { PrismaClient } = await import("../src/server/db/generated/client.ts");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { pgConfigFromUrl } = await import("../src/server/db/pg-config.ts");
    const { hashPassword } = await import("../src/server/infra/password.ts");
    const db = new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl(stack.databaseUrl)) });
    const email = "chat-list@perf.example.com";
    const user = await db.user.create({ data: { email, name: "Chat list", passwordHash: await hashPassword(SEED_PASSWORD), emailVerified: new Date(), locale: "en" } });
    await db.$disconnect();
    const u = httpUser(stack.appUrl);
    await u.signIn(email);
    const tenant = await u.mutation("tenant.create", { name: "Chat list workspace" });
    const c = new pg.Client({ connectionString: stack.databaseUrl });
    await c.connect();
    const { rows } = await c.query(`SELECT id FROM "Tenant" WHERE slug = $1`, [tenant.slug]);
    await c.query(
      `INSERT INTO "Conversation" (id, "tenantId", "userId", "personaKey", title, "lastMessageAt", "createdAt", "updatedAt")
       SELECT 'perf-c-' || i, $1, $2, (ARRAY['ceo','cfo','cmo','cto','coo','chro','general-counsel'])[(i % 7) + 1],
              'Conversation ' || i, now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval, now()
       FROM generate_series(1, $3::int) i`,
      [rows[0].id, user.id, conversations],
    );
    // Two messages in each of the 30 newest (the first page counts them).
    await c.query(
      `INSERT INTO "Message" (id, "conversationId", "tenantId", role, content, "createdAt", "updatedAt")
       SELECT 'perf-m-' || i || '-' || j, 'perf-c-' || i, $1, 'user', 'Hello', now(), now() FROM generate_series(1, 30) i, generate_series(1, 2) j`,
      [rows[0].id],
    );
    await c.query(`ANALYZE "Conversation"; ANALYZE "Message"`);
    await c.end();
    log(`seeded ${conversations} conversations for one user in ${tenant.slug}`);

    const cookie = [...u.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const listUrl = `${stack.appUrl}/api/trpc/chat.list?input=${encodeURIComponent(JSON.stringify({ json: { tenantSlug: tenant.slug } }))}`;
    const healthUrl = `${stack.appUrl}/api/health`;
    const dispatcher = new Agent({ connections: 128, pipelining: 1 });
    const check = await request(listUrl, { dispatcher, headers: { cookie } });
    const body = await check.body.json();
    const items = body?.result?.data?.json?.items?.length;
    if (check.statusCode !== 200 || !items) throw new Error(`chat.list: HTTP ${check.statusCode} ${JSON.stringify(body).slice(0, 300)}`);
    log(`chat.list answers ${items} items; warm-up 5 s of each`);
    await drive(dispatcher, healthUrl, {}, 5);
    await drive(dispatcher, listUrl, { cookie }, 5);
    const load = os.loadavg();
    const results = { health: [], list: [] };
    for (let round = 0; round < 2; round++) {
      results.health.push(await drive(dispatcher, healthUrl, {}, seconds / 2));
      results.list.push(await drive(dispatcher, listUrl, { cookie }, seconds / 2));
    }
    const loadAfter = os.loadavg();
    await dispatcher.close();
    const fmt = (r) => `n=${r.n} errors=${r.errors} p50=${r.p50.toFixed(1)} ms p95=${r.p95.toFixed(1)} ms p99=${r.p99.toFixed(1)} ms max=${r.max.toFixed(1)} ms`;
    console.log(`\nchat.list at ${rate} req/s open loop, ${conversations} conversations, ${os.cpus().length} cores; load average before ${load.map((x) => x.toFixed(2)).join(" / ")}, after ${loadAfter.map((x) => x.toFixed(2)).join(" / ")}`);
    for (const [name, rs] of Object.entries(results)) rs.forEach((r, i) => console.log(`  ${name.padEnd(6)} round ${i + 1}: ${fmt(r)}`));
  } finally {
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
};

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`[chat-list] ${err.stack ?? err}`);
    process.exit(1);
  },
);
