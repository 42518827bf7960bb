#!/usr/bin/env node
// Workspace search latency, the command palette's search.query (issue 15). Run from the repo root:
//   PERF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --conditions=react-server --import tsx perf/search.mjs [objects=100000] [rounds=5]
// A fresh database (created, migrated with the real CLI, dropped at the end). The measured
// workspace holds `objects` searchable objects, loaded with INSERT … SELECT generate_series:
// 20% conversations (half the measured user's, half a colleague's), 10% meetings, 15% decisions,
// 15% action items, 20% tasks, 5% documents and 15% passages (document chunks), plus 50 members;
// titles and texts are drawn from a business vocabulary with a skewed (Zipf-like) distribution,
// so short prefixes match thousands of rows. Three other workspaces hold as many objects again
// between them. VACUUM ANALYZE after the load. Each round runs every query below through
// searchWorkspace (the service behind search.query, as a MEMBER: every source) — server time,
// without HTTP. Baseline in the same run, same client, interleaved: a plain indexed lookup,
// SELECT id, title FROM "Task" WHERE "tenantId" = $1 ORDER BY "createdAt" DESC LIMIT 5.
import { randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { appEnv, median, p95, scratchDatabase } from "./lib/bench.mjs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const OBJECTS = Number(args[0] ?? 100_000);
const ROUNDS = Number(args[1] ?? 5);

// What people type into a palette: 2- and 3-letter prefixes of common and rare words, whole words,
// two words, a word and a prefix, digits, a Spanish word, and a miss.
const QUERIES = ["bu", "bud", "budget", "pr", "pri", "pricing", "q3", "hir", "hiring plan", "launch rev", "vendor", "contract renewal", "pol", "supplier audit", "fiscal", "año", "zzqx", "market expansion", "ret", "board"];
const VOCAB = (
  "budget pricing review plan launch revenue hiring forecast market expansion contract renewal vendor supplier audit policy " +
  "board strategy quarterly q1 q2 q3 q4 marketing campaign sales pipeline churn retention onboarding security compliance legal " +
  "cash runway payroll benefits office lease travel expenses investor update roadmap product release pricing discount partner " +
  "negotiation risk assessment incident postmortem customer support ticket backlog recruiting interview salary bands equity " +
  "fiscal año presupuesto plan ventas informe reunión objetivos trimestre europe asia americas growth margin cost reduction"
).split(" ");

const scratch = await scratchDatabase("search");
const databaseUrl = scratch.url;

let raw;
let appDb;
try {
  Object.assign(process.env, appEnv(databaseUrl));
  const { db } = await import("../src/server/db/client.ts");
  appDb = db;
  const { searchWorkspace } = await import("../src/server/services/search/workspace-search.ts");

  raw = new pg.Client({ connectionString: databaseUrl });
  await raw.connect();
  // A word drawn with a skewed distribution (low indexes far more often), and a phrase of n such words.
  const vocabArray = `ARRAY[${VOCAB.map((w) => `'${w}'`).join(",")}]`;
  await raw.query(`CREATE FUNCTION pg_temp.w() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT (${vocabArray})[1 + floor(power(random(), 2.5) * ${VOCAB.length})::int] $$`);
  await raw.query(`CREATE FUNCTION pg_temp.phrase(n int) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT string_agg(pg_temp.w(), ' ') FROM generate_series(1, n) $$`);

  const load = async (label, total) => {
    const tenantId = `t_${label}`;
    await raw.query(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES ($1, $2, $1, now())`, [tenantId, `${label}-${randomBytes(3).toString("hex")}`]);
    await raw.query(
      `INSERT INTO "User" (id, email, name, "updatedAt") SELECT $1 || '_u' || g, $1 || '-user-' || g || '@example.test', initcap(pg_temp.w()) || ' ' || initcap(pg_temp.w()), now() FROM generate_series(1, 50) g`,
      [tenantId],
    );
    await raw.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role, "updatedAt") SELECT $1 || '_m' || g, $1, $1 || '_u' || g, 'MEMBER', now() FROM generate_series(1, 50) g`, [tenantId]);
    const n = (share) => Math.round(total * share);
    const ago = `now() - (g || ' minutes')::interval`;
    await raw.query(
      `INSERT INTO "Conversation" (id, "tenantId", "userId", "personaKey", title, "lastMessageAt", "updatedAt")
       SELECT $1 || '_c' || g, $1, $1 || '_u' || (1 + g % 2), 'cfo', pg_temp.phrase(4), ${ago}, now() FROM generate_series(1, $2) g`,
      [tenantId, n(0.2)],
    );
    await raw.query(
      `INSERT INTO "Meeting" (id, "tenantId", title, goal, agenda, "personaKeys", "chairKey", rounds, status, "createdAt", "updatedAt")
       SELECT $1 || '_mt' || g, $1, pg_temp.phrase(4), 'Goal', '["Item"]', ARRAY['ceo','cfo'], 'ceo', 1, 'completed', ${ago}, now() FROM generate_series(1, $2) g`,
      [tenantId, n(0.1)],
    );
    // Decisions and action items: one or two per meeting.
    await raw.query(
      `INSERT INTO "MeetingOutcome" (id, "meetingId", "tenantId", "itemIndex", decision, positions, "createdAt")
       SELECT $1 || '_o' || g, $1 || '_mt' || (1 + g % $3), $1, g / $3, pg_temp.phrase(14), '[]', ${ago} FROM generate_series(1, $2) g`,
      [tenantId, n(0.15), n(0.1)],
    );
    await raw.query(
      `INSERT INTO "ActionItem" (id, "meetingId", "tenantId", "itemIndex", "ownerPersonaKey", description, "createdAt")
       SELECT $1 || '_a' || g, $1 || '_mt' || (1 + g % $3), $1, g / $3, 'cfo', pg_temp.phrase(8), ${ago} FROM generate_series(1, $2) g`,
      [tenantId, n(0.15), n(0.1)],
    );
    await raw.query(
      `INSERT INTO "Task" (id, "tenantId", "personaKey", title, description, status, "createdAt", "updatedAt")
       SELECT $1 || '_k' || g, $1, 'cfo', pg_temp.phrase(4), 'Description', 'done', ${ago}, now() FROM generate_series(1, $2) g`,
      [tenantId, n(0.2)],
    );
    await raw.query(
      `INSERT INTO "Document" (id, "tenantId", title, filename, kind, "mimeType", "sizeBytes", sha256, "storageKey", status, "chunkCount", "indexVersion", "createdAt", "updatedAt")
       SELECT $1 || '_d' || g, $1, pg_temp.phrase(3), 'doc.md', 'markdown', 'text/markdown', 1, md5($1 || g), 'none', 'ready', 3, 1, ${ago}, now() FROM generate_series(1, $2) g`,
      [tenantId, n(0.05)],
    );
    await raw.query(
      `INSERT INTO "DocumentChunk" (id, "tenantId", "documentId", ordinal, text, heading, "charStart", "charEnd")
       SELECT $1 || '_ch' || g, $1, $1 || '_d' || (1 + g % $3), g / $3, pg_temp.phrase(60), pg_temp.phrase(2), 0, 400 FROM generate_series(1, $2) g`,
      [tenantId, n(0.15), n(0.05)],
    );
    return tenantId;
  };

  const t0 = performance.now();
  const main = await load("perf_main", OBJECTS);
  for (const i of [1, 2, 3]) await load(`perf_noise_${i}`, Math.ceil(OBJECTS / 3));
  // The rows went in as plaintext (fast, in SQL): seal them and write their blind indexes as an
  // upgraded deployment does (npm run content:seal; ADR 0015), which is what the palette searches.
  const { sealLegacyContent } = await import("../src/server/services/secrets/content-backfill.ts");
  const s0 = performance.now();
  let sealed = 0;
  for (const tenantId of [main, "t_perf_noise_1", "t_perf_noise_2", "t_perf_noise_3"]) sealed += (await sealLegacyContent({ tenantId })).rows;
  console.error(`sealed ${sealed} rows (content:seal) in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  await raw.query(`VACUUM ANALYZE`);
  console.error(`loaded ${OBJECTS} objects (+${OBJECTS} in 3 other workspaces) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const ctx = { tenantId: main, tenantSlug: "perf", role: "MEMBER", userId: `${main}_u1`, isPlatformAdmin: false, meta: {} };
  const baselineQuery = () => db.$queryRaw`SELECT id, title FROM "Task" WHERE "tenantId" = ${main} ORDER BY "createdAt" DESC LIMIT 5`;
  for (const q of QUERIES) {
    await searchWorkspace(ctx, { query: q });
    await baselineQuery();
  }
  const calls = [];
  const baseline = [];
  const perQuery = new Map(QUERIES.map((q) => [q, { times: [], hits: 0 }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUERIES) {
      let t = performance.now();
      const res = await searchWorkspace(ctx, { query: q });
      const ms = performance.now() - t;
      calls.push(ms);
      perQuery.get(q).times.push(ms);
      perQuery.get(q).hits = res.hits.length;
      t = performance.now();
      await baselineQuery();
      baseline.push(performance.now() - t);
    }
  }
  console.log(`${QUERIES.length} queries × ${ROUNDS} rounds, ${OBJECTS.toLocaleString("en")} objects in the workspace (Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})`);
  console.log("| | median | p95 |");
  console.log("|---|---|---|");
  console.log(`| searchWorkspace | ${median(calls).toFixed(2)} ms | ${p95(calls).toFixed(2)} ms |`);
  console.log(`| baseline (indexed lookup) | ${median(baseline).toFixed(2)} ms | ${p95(baseline).toFixed(2)} ms |`);
  console.log(`| ratio (median) | ${(median(calls) / median(baseline)).toFixed(1)}× | |`);
  console.log("\n| query | median | max | hits |\n|---|---|---|---|");
  for (const [q, m] of perQuery) console.log(`| ${q} | ${median(m.times).toFixed(2)} ms | ${Math.max(...m.times).toFixed(2)} ms | ${m.hits} |`);
} finally {
  await raw?.end().catch(() => {});
  await appDb?.$disconnect().catch(() => {});
  await scratch.drop();
}
process.exit(0);
