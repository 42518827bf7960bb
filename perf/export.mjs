#!/usr/bin/env node
// Data export (issue 16): archive size and build time. Run from the repo root:
//   PERF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --conditions=react-server --import tsx perf/export.mjs [rounds=3]
// A fresh database (created, migrated with the real CLI, dropped at the end) and a temporary fs
// object store. Two workspaces are exported, each `rounds` times, through buildExport (the
// data-export job's whole build step: count, stream every table and original into the zip on
// disk, manifest, store the archive), in-process, timed by wall clock:
//   (a) the demo workspace as `npm start` seeds it (prisma/seed.ts: the workspace and its members);
//   (b) a workspace with 10,000 messages (200 conversations × 50, answers with a citation, ~600
//       characters each), 100 documents with originals of 64–192 KiB of text each (12.5 MiB in
//       all, stored sealed as uploads store them: the export decrypts each), 20 meetings with turns and decisions, 50 tasks with steps and the audit events
//       that go with them, loaded with INSERT … SELECT generate_series.
// Reported: archive size, wall time (median, max), objects written, peak RSS of this process.
import { randomBytes } from "node:crypto";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { appEnv, median, root, run, scratchDatabase } from "./lib/bench.mjs";

const ROUNDS = Number(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? 3);

const scratch = await scratchDatabase("export");
const storageRoot = await mkdtemp(path.join(os.tmpdir(), "ocsuite-perf-export-"));
let raw;
let appDb;
try {
  // A master key: originals are stored sealed as uploads store them (ADR 0014), so the export decrypts each.
  Object.assign(process.env, appEnv(scratch.url, { STORAGE_DRIVER: "fs", STORAGE_FS_ROOT: storageRoot, OCSUITE_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}` }));
  // (a) exactly what npm start seeds.
  await run(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "prisma", "seed.ts")], { DATABASE_URL: scratch.url });
  const { db } = await import("../src/server/db/client.ts");
  appDb = db;
  const { buildExport } = await import("../src/server/services/privacy/export/build-export.ts");

  raw = new pg.Client({ connectionString: scratch.url });
  await raw.connect();
  const demo = (await raw.query(`SELECT t.id, m."userId" FROM "Tenant" t JOIN "Membership" m ON m."tenantId" = t.id WHERE t.slug = 'acme' AND m.role = 'OWNER'`)).rows[0];

  // (b) the large workspace.
  const big = "t_big";
  const owner = `${big}_u1`;
  await raw.query(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES ($1, $2, 'Big workspace', now())`, [big, `big-${randomBytes(3).toString("hex")}`]);
  await raw.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") SELECT $1 || '_u' || g, $1 || '-' || g || '@example.test', 'User ' || g, 'scrypt$not-exported', now() FROM generate_series(1, 10) g`, [big]);
  await raw.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role, "updatedAt") SELECT $1 || '_m' || g, $1, $1 || '_u' || g, CASE WHEN g = 1 THEN 'OWNER'::"Role" ELSE 'MEMBER'::"Role" END, now() FROM generate_series(1, 10) g`, [big]);
  await raw.query(`INSERT INTO "Conversation" (id, "tenantId", "userId", "personaKey", title, "updatedAt") SELECT $1 || '_c' || g, $1, $1 || '_u' || (1 + g % 10), 'cfo', 'Conversation ' || g, now() FROM generate_series(1, 200) g`, [big]);
  await raw.query(
    `INSERT INTO "Message" (id, "conversationId", "tenantId", role, content, citations, "createdAt", "updatedAt")
     SELECT $1 || '_msg' || g, $1 || '_c' || (1 + g % 200), $1, CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END,
            repeat(md5(g::text) || ' pricing review and the quarterly plan ', 12),
            CASE WHEN g % 2 = 1 THEN jsonb_build_array(jsonb_build_object('n', 1, 'documentId', $1 || '_d' || (1 + g % 100), 'title', 'Document', 'text', 'A cited passage of the document.')) END,
            now() - (g || ' seconds')::interval, now()
     FROM generate_series(1, 10000) g`,
    [big],
  );
  await raw.query(
    `INSERT INTO "Meeting" (id, "tenantId", "createdById", title, goal, agenda, "personaKeys", "chairKey", rounds, status, "updatedAt")
     SELECT $1 || '_mt' || g, $1, $2, 'Meeting ' || g, 'Goal', '["Item"]', ARRAY['ceo','cfo','cmo'], 'ceo', 1, 'completed', now() FROM generate_series(1, 20) g`,
    [big, owner],
  );
  await raw.query(
    `INSERT INTO "MeetingTurn" (id, "meetingId", "tenantId", "itemIndex", round, "personaKey", content)
     SELECT $1 || '_tn' || g || p, $1 || '_mt' || g, $1, 0, 1, p, repeat('A considered position. ', 40) FROM generate_series(1, 20) g, unnest(ARRAY['ceo','cfo','cmo']) p`,
    [big],
  );
  await raw.query(`INSERT INTO "MeetingOutcome" (id, "meetingId", "tenantId", "itemIndex", decision, positions) SELECT $1 || '_o' || g, $1 || '_mt' || g, $1, 0, 'Decision ' || g, '[{"personaKey":"cfo","stance":"support","rationale":"margins"}]' FROM generate_series(1, 20) g`, [big]);
  await raw.query(`INSERT INTO "Task" (id, "tenantId", "createdById", "personaKey", title, description, status, deliverable, "updatedAt") SELECT $1 || '_tk' || g, $1, $2, 'cmo', 'Task ' || g, 'Do it', 'done', repeat('# Deliverable ', 100), now() FROM generate_series(1, 50) g`, [big, owner]);
  await raw.query(`INSERT INTO "TaskStep" (id, "taskId", "tenantId", revision, name, status, output) SELECT $1 || '_st' || g || s, $1 || '_tk' || g, $1, 1, s, 'complete', repeat('Step output. ', 50) FROM generate_series(1, 50) g, unnest(ARRAY['plan','research','draft','review']) s`, [big]);
  // 100 documents, originals of 64–192 KiB of text in the fs store, sealed as an upload seals them.
  const { documentOriginalKey } = await import("../src/server/infra/storage/keys.ts");
  const { sealOriginal } = await import("../src/server/services/knowledge/original-cipher.ts");
  let docBytes = 0;
  for (let i = 1; i <= 100; i++) {
    const id = `${big}_d${i}`;
    const key = documentOriginalKey(big, id);
    const size = 65_536 + (i % 3) * 65_536;
    const line = `Paragraph ${i}: revenue, margins, hiring and the roadmap for the next quarter ${randomBytes(8).toString("hex")}.\n`;
    const text = line.repeat(Math.ceil(size / line.length)).slice(0, size);
    const file = path.join(storageRoot, ...key.split("/"));
    await mkdir(path.dirname(file), { recursive: true });
    const { sealed, columns } = await sealOriginal(big, id, new TextEncoder().encode(text));
    await writeFile(file, sealed);
    docBytes += size;
    await raw.query(
      `INSERT INTO "Document" (id, "tenantId", "uploadedById", title, filename, kind, "mimeType", "sizeBytes", sha256, "storageKey", "contentKeyCiphertext", "contentKeyVersion", status, "updatedAt") VALUES ($1, $2, $3, $4, $5, 'markdown', 'text/markdown', $6, $7, $8, $9, $10, 'ready', now())`,
      [id, big, owner, `Document ${i}`, `document-${i}.md`, size, randomBytes(32).toString("hex"), key, columns.contentKeyCiphertext, columns.contentKeyVersion],
    );
  }
  const { appendAuditEvent } = await import("../src/server/services/audit/audit.ts");
  for (let i = 0; i < 200; i++) await appendAuditEvent({ tenantId: big, actorId: owner, actorType: "USER", action: "document.upload", targetType: "document", targetId: `${big}_d${1 + (i % 100)}` });
  // Seeded as plaintext (fast, in SQL); sealed as the app stores content (ADR 0015), so the export
  // opens every row as it does in production. PLAIN=1 skips it (the figure before sealing).
  if (process.env.PLAIN !== "1") {
    const { sealLegacyContent } = await import("../src/server/services/secrets/content-backfill.ts");
    const s0 = performance.now();
    const { rows } = await sealLegacyContent({ tenantId: big });
    console.error(`sealed ${rows} rows in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  }
  await raw.query("VACUUM ANALYZE");

  const measure = async (label, tenantId, userId) => {
    const times = [];
    let last;
    for (let r = 0; r < ROUNDS; r++) {
      const x = await db.dataExport.create({ data: { tenantId, requestedById: userId, scope: "workspace" } });
      const t0 = performance.now();
      await buildExport(x.id);
      times.push(performance.now() - t0);
      last = await db.dataExport.findUniqueOrThrow({ where: { id: x.id } });
    }
    return { label, times, sizeBytes: last.sizeBytes, objects: last.progressTotal };
  };
  const results = [await measure("(a) demo workspace (prisma/seed.ts)", demo.id, demo.userId), await measure("(b) 10,000 messages + 100 documents", big, owner)];
  console.log(`${ROUNDS} rounds each (Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}); originals in (b): ${(docBytes / 1_048_576).toFixed(1)} MiB`);
  console.log("| workspace | objects | archive | median | max |");
  console.log("|---|---|---|---|---|");
  for (const r of results) console.log(`| ${r.label} | ${r.objects.toLocaleString("en")} | ${(r.sizeBytes / 1_048_576).toFixed(2)} MiB (${r.sizeBytes.toLocaleString("en")} B) | ${(median(r.times) / 1000).toFixed(2)} s | ${(Math.max(...r.times) / 1000).toFixed(2)} s |`);
  console.log(`peak RSS of the benchmark process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await raw?.end().catch(() => {});
  await appDb?.$disconnect().catch(() => {});
  await scratch.drop();
  await rm(storageRoot, { recursive: true, force: true });
}
