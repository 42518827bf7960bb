/**
 * Issue 14, "indexes for every list query": every tenant-scoped list or lookup
 * procedure, called through the real tRPC router, must not make PostgreSQL scan
 * a tenant table sequentially when the workspace holds 10k rows.
 *
 * How: five workspaces of this file's own (the one under test plus four
 * neighbours, so a tenant is a fifth of each table, as in a shared database)
 * get N rows each in every table behind those procedures, written with
 * INSERT … SELECT generate_series; the tables are VACUUM ANALYZEd so the
 * planner has statistics. The procedures then run as the workspace's owner while
 * every statement the app sends through `pg` is recorded (text + parameters);
 * each recorded SELECT that touches a tenant table (a table with a "tenantId"
 * column) is EXPLAINed with its own parameters, and the test fails on any
 * `Seq Scan` node over a tenant table, printing the statement and its plan.
 * Every row this file writes is deleted at the end. Known exceptions are listed in
 * ALLOWED with their reason.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant, createTenantWithMembers, uid, type TenantFixture } from "../prisma/factories";
import { callerFor, type Caller } from "./support/trpc";

/** Rows per workspace in every seeded table (the bar). */
const N = 10_000;
const NEIGHBOURS = 4;
const RUN = `qp${uid(4)}`;

/** Tables whose list queries are answered by an index-only scan (knowledge.usage, knowledge.list's counts, tenant.get's member count). */
const VACUUMED = new Set(["Document", "Membership"]);

/**
 * Known exceptions, each with its reason. A procedure listed here may scan the named table; any
 * other seq scan fails. Keep this short: the fix for an entry is paginating the procedure.
 */
const ALLOWED: Record<string, { table: string; why: string }> = {
  "member.list": {
    table: "Membership",
    why: "returns every member of the workspace (no page): with 10k members the tenant is a fifth of this table and reading it whole is the cheapest plan; needs pagination (issue 14 follow-up)",
  },
};

type Captured = { text: string; values: unknown[] };
type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

let fx: TenantFixture;
let tenantIds: string[] = [];
let client: pg.Client;
let tenantTables = new Set<string>();

/** Statements seen by pg while `fn` runs (every pool client of the app's Prisma adapter goes through Client.prototype.query). */
const capture = async (fn: () => Promise<unknown>): Promise<Captured[]> => {
  const seen: Captured[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...a: unknown[]) {
    const [q, v] = a;
    if (typeof q === "string") seen.push({ text: q, values: Array.isArray(v) ? v : [] });
    else if (q && typeof q === "object" && "text" in q) {
      const o = q as { text: string; values?: unknown[] };
      seen.push({ text: o.text, values: Array.isArray(v) ? v : (o.values ?? []) });
    }
    return original.apply(this, a);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return seen;
};

const walk = (node: PlanNode, out: PlanNode[] = []): PlanNode[] => {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
};

/** The seq scans over tenant tables in the plan of one captured statement, with the plan for the message. */
const seqScansOf = async (q: Captured) => {
  const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>({ text: `EXPLAIN (FORMAT JSON) ${q.text}`, values: q.values });
  const plan = rows[0]!["QUERY PLAN"][0].Plan;
  const bad = walk(plan).filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] && tenantTables.has(n["Relation Name"]));
  return { bad, plan };
};

const touchesTenantTable = (sql: string) => [...tenantTables].some((t) => sql.includes(`"${t}"`));
const isRead = (sql: string) => /^\s*(SELECT|WITH)\b/i.test(sql);

// ─── seed ────────────────────────────────────────────────────────────────────

/**
 * One INSERT … SELECT per table; row i belongs to tenant t[i % T + 1] and is
 * the (i / T)-th row of that tenant (k below). Ids are `${RUN}-<table>-<i>`.
 */
const seed = async (owner: string) => {
  const T = tenantIds.length;
  const total = T * N;
  const at = (col = "k") => `now() - (${col} || ' minutes')::interval`;
  const statements: [string, string][] = [
    ["User", `INSERT INTO "User" (id, email, name, "createdAt", "updatedAt")
      SELECT $2 || '-u-' || i, $2 || '-' || i || '@plans.example.com', 'Plan user ' || i, now(), now() FROM generate_series(0, ${N - 1}) i`],
    ["Membership", `INSERT INTO "Membership" (id, "tenantId", "userId", role, "createdAt", "updatedAt", "lastActiveAt")
      SELECT $2 || '-m-' || i, $1[(i % ${T}) + 1], $2 || '-u-' || (i / ${T}), 'MEMBER'::"Role", ${at()}, now(), ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["Invitation", `INSERT INTO "Invitation" (id, "tenantId", email, role, "tokenHash", "invitedById", "expiresAt", "acceptedAt", "createdAt")
      SELECT $2 || '-i-' || i, $1[(i % ${T}) + 1], 'inv' || i || '@plans.example.com', 'MEMBER'::"Role", md5($2 || i), $3,
             now() + interval '7 days' - (k || ' minutes')::interval, CASE WHEN k % 3 = 0 THEN now() END, ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["Conversation", `INSERT INTO "Conversation" (id, "tenantId", "userId", "personaKey", title, "lastMessageAt", "createdAt", "updatedAt")
      SELECT $2 || '-c-' || i, $1[(i % ${T}) + 1], CASE WHEN i % ${T} = 0 THEN $3 ELSE $2 || '-u-' || k END,
             (ARRAY['ceo','cfo','cmo','cto','coo','chro','general-counsel'])[(k % 7) + 1], 'Conversation ' || k, ${at()}, ${at()}, now()
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    // 1,000 conversations per tenant get 10 messages each.
    ["Message", `INSERT INTO "Message" (id, "conversationId", "tenantId", role, content, "createdAt", "updatedAt")
      SELECT $2 || '-msg-' || i, $2 || '-c-' || ((k % 1000) * ${T} + i % ${T}), $1[(i % ${T}) + 1],
             CASE WHEN k % 2 = 0 THEN 'user' ELSE 'assistant' END, 'Message text number ' || k, ${at()}, now()
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["Meeting", `INSERT INTO "Meeting" (id, "tenantId", "createdById", title, goal, agenda, "personaKeys", "chairKey", rounds, status, "createdAt", "updatedAt")
      SELECT $2 || '-mt-' || i, $1[(i % ${T}) + 1], $3, 'Meeting ' || k, 'Decide', '["One item"]'::jsonb, ARRAY['cfo','cto'], 'ceo', 1,
             (ARRAY['queued','running','completed','failed','cancelled'])[(k % 5) + 1], ${at()}, now()
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    // Turns, outcomes and action items: 10 per meeting for the first 1,000 meetings of each tenant.
    ["MeetingTurn", `INSERT INTO "MeetingTurn" (id, "meetingId", "tenantId", "itemIndex", round, "personaKey", content, "createdAt")
      SELECT $2 || '-tu-' || i, $2 || '-mt-' || ((k % 1000) * ${T} + i % ${T}), $1[(i % ${T}) + 1], k / 1000, 1, 'cfo', 'Turn ' || k, ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["MeetingOutcome", `INSERT INTO "MeetingOutcome" (id, "meetingId", "tenantId", "itemIndex", decision, positions, "createdAt")
      SELECT $2 || '-mo-' || i, $2 || '-mt-' || ((k % 1000) * ${T} + i % ${T}), $1[(i % ${T}) + 1], k / 1000, 'Decided', '[]'::jsonb, ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["ActionItem", `INSERT INTO "ActionItem" (id, "meetingId", "tenantId", "itemIndex", "ownerPersonaKey", description, "createdAt")
      SELECT $2 || '-ai-' || i, $2 || '-mt-' || ((k % 1000) * ${T} + i % ${T}), $1[(i % ${T}) + 1], k / 1000, 'cfo', 'Action ' || k, ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["Task", `INSERT INTO "Task" (id, "tenantId", "createdById", "personaKey", title, description, status, "queuedAt", "createdAt", "updatedAt")
      SELECT $2 || '-t-' || i, $1[(i % ${T}) + 1], $3, 'cfo', 'Task ' || k, 'Do it',
             (ARRAY['queued','running','needs_review','done','done','done','failed','cancelled'])[(k % 8) + 1], ${at()}, ${at()}, now()
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["TaskStep", `INSERT INTO "TaskStep" (id, "taskId", "tenantId", revision, name, status, "startedAt")
      SELECT $2 || '-ts-' || i, $2 || '-t-' || ((k % 2500) * ${T} + i % ${T}), $1[(i % ${T}) + 1], 1 + k / 10000,
             (ARRAY['plan','research','draft','review'])[(k / 2500) + 1], 'complete', ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["Document", `INSERT INTO "Document" (id, "tenantId", "uploadedById", title, filename, kind, "mimeType", "sizeBytes", sha256, "storageKey", status, "createdAt", "updatedAt")
      SELECT $2 || '-d-' || i, $1[(i % ${T}) + 1], $3, 'Document ' || k, 'doc-' || k || '.md', 'markdown', 'text/markdown', 1000 + k, md5($2 || 'd' || i),
             'plans/' || i, (ARRAY['ready','ready','ready','queued','failed'])[(k % 5) + 1], ${at()}, now()
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["DocumentChunk", `INSERT INTO "DocumentChunk" (id, "tenantId", "documentId", ordinal, text, "charStart", "charEnd", "createdAt")
      SELECT $2 || '-dc-' || i, $1[(i % ${T}) + 1], $2 || '-d-' || ((k % 1000) * ${T} + i % ${T}), k / 1000, 'chunk text ' || k, 0, 10, ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["AuditEvent", `INSERT INTO "AuditEvent" (id, chain, seq, "tenantId", "actorId", "actorType", action, result, "createdAt", "prevHash", hash)
      SELECT $2 || '-ae-' || i, $2 || '-chain-' || (i % ${T}), k + 1, $1[(i % ${T}) + 1], $3, 'USER'::"ActorType",
             (ARRAY['member.invite','document.upload','chat.delete','tenant.rename'])[(k % 4) + 1], 'SUCCESS'::"AuditResult", now() - ((${N} - k) || ' minutes')::interval, '', md5(i::text)
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["LlmCall", `INSERT INTO "LlmCall" (id, "tenantId", "userId", "conversationId", provider, model, operation, "inputTokens", "outputTokens", "durationMs", status, "createdAt")
      SELECT $2 || '-lc-' || i, $1[(i % ${T}) + 1], $3, $2 || '-c-' || i, 'openai', 'm', 'chat', 10, 20, 100, 'ok', now() - ((k * 4) || ' minutes')::interval
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["SupportSession", `INSERT INTO "SupportSession" (id, "tenantId", "adminId", reason, "startedAt", "expiresAt", "endedAt")
      SELECT $2 || '-ss-' || i, $1[(i % ${T}) + 1], $3, 'Ticket ' || k, ${at()}, ${at()} + interval '1 hour', ${at()} + interval '1 hour'
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["TenantNotice", `INSERT INTO "TenantNotice" (id, "tenantId", kind, data, "createdAt", "readAt")
      SELECT $2 || '-tn-' || i, $1[(i % ${T}) + 1], 'support-session', '{}'::jsonb, ${at()}, ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["AccessReview", `INSERT INTO "AccessReview" (id, "tenantId", status, "dueAt", "completedAt", "createdAt")
      SELECT $2 || '-ar-' || i, $1[(i % ${T}) + 1], 'completed', ${at()}, ${at()}, ${at()}
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["AccessReviewItem", `INSERT INTO "AccessReviewItem" (id, "reviewId", "tenantId", kind, "subjectId", label, detail, decision)
      SELECT $2 || '-ari-' || i, $2 || '-ar-' || ((k % 1000) * ${T} + i % ${T}), $1[(i % ${T}) + 1], 'member', $2 || '-m-' || i, 'x',
             jsonb_build_object('userId', $2 || '-u-' || k, 'name', NULL, 'role', 'MEMBER', 'joinedAt', '2026-01-02T03:04:05.000Z', 'lastActiveAt', NULL), 'keep'
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
    ["TenantTokenUsage", `INSERT INTO "TenantTokenUsage" ("tenantId", month, tokens, "updatedAt")
      SELECT $1[(i % ${T}) + 1], 'h' || lpad(k::text, 5, '0'), 100, now()
      FROM generate_series(0, ${total - 1}) i, LATERAL (SELECT i / ${T} AS k) s`],
  ];
  // The values are ids this file made (cuids and hex), inlined as literals: no statement needs every parameter.
  const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const inline = (sql: string) =>
    sql
      .replaceAll("$1", `(ARRAY[${tenantIds.map(literal).join(", ")}]::text[])`)
      .replaceAll("$2", literal(RUN))
      .replaceAll("$3", literal(owner));
  for (const [table, sql] of statements) {
    try {
      const t0 = Date.now();
      await client.query(inline(sql));
      if (process.env.QUERY_PLANS_VERBOSE) console.log(`seeded ${table} in ${Date.now() - t0} ms`);
    } catch (err) {
      throw new Error(`seeding ${table}: ${(err as Error).message}`);
    }
  }
  const t0 = Date.now();
  // ANALYZE for the planner's statistics; VACUUM too where an index-only scan is the plan (the visibility map).
  for (const [table] of statements) await client.query(`${VACUUMED.has(table) ? "VACUUM ANALYZE" : "ANALYZE"} "${table}"`);
  if (process.env.QUERY_PLANS_VERBOSE) console.log(`VACUUM ANALYZE in ${Date.now() - t0} ms`);
};

const cleanup = async () => {
  if (!client) return;
  const prefix = `${RUN}-%`;
  // Children without a cascade from Tenant, then the tenants (cascading to the rest), then the users.
  await client.query(`DELETE FROM "LlmCall" WHERE "tenantId" = ANY($1)`, [tenantIds]);
  await client.query("BEGIN");
  await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete`);
  await client.query(`DELETE FROM "AuditEvent" WHERE id LIKE $1`, [prefix]);
  await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete`);
  await client.query("COMMIT");
  for (const table of ["ActionItem", "MeetingOutcome", "MeetingTurn", "TaskStep", "AccessReviewItem", "Message", "DocumentChunk"]) {
    await client.query(`DELETE FROM "${table}" WHERE id LIKE $1`, [prefix]);
  }
  await client.query(`DELETE FROM "Tenant" WHERE id = ANY($1)`, [tenantIds]);
  await client.query(`DELETE FROM "User" WHERE id LIKE $1`, [prefix]);
};

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  fx = await createTenantWithMembers();
  const neighbours = await Promise.all(Array.from({ length: NEIGHBOURS }, () => createTenant()));
  tenantIds = [fx.tenant.id, ...neighbours.map((t) => t.id)];
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'tenantId'`,
  );
  tenantTables = new Set(rows.map((r) => r.table_name));
  await seed(fx.owner.id);
}, 120_000);

afterAll(async () => {
  await cleanup();
  await client?.end();
}, 60_000);

// ─── the procedures ──────────────────────────────────────────────────────────

/** Every tenant-scoped list or lookup procedure, with the inputs the UI sends. */
const procedures = (): [string, (c: Caller, s: string) => Promise<unknown>][] => {
  const id = (table: string, i: number) => `${RUN}-${table}-${i * tenantIds.length}`; // row k of the tenant under test
  return [
    ["tenant.list", (c) => c.tenant.list()],
    ["tenant.get", (c, s) => c.tenant.get({ tenantSlug: s })],
    ["member.list", (c, s) => c.member.list({ tenantSlug: s })],
    ["invitation.list", (c, s) => c.invitation.list({ tenantSlug: s })],
    ["chat.personas", (c, s) => c.chat.personas({ tenantSlug: s })],
    ["chat.list", (c, s) => c.chat.list({ tenantSlug: s })],
    ["chat.list (persona)", (c, s) => c.chat.list({ tenantSlug: s, personaKey: "cfo" })],
    ["chat.list (search)", (c, s) => c.chat.list({ tenantSlug: s, query: "number 42" })],
    ["chat.get", (c, s) => c.chat.get({ tenantSlug: s, id: id("c", 7) })],
    ["meeting.list", (c, s) => c.meeting.list({ tenantSlug: s })],
    ["meeting.get", (c, s) => c.meeting.get({ tenantSlug: s, id: id("mt", 7) })],
    ["meeting.minutes", (c, s) => c.meeting.minutes({ tenantSlug: s, id: id("mt", 7) })],
    ["task.list", (c, s) => c.task.list({ tenantSlug: s })],
    ["task.list (status)", (c, s) => c.task.list({ tenantSlug: s, status: "needs_review" })],
    ["task.get", (c, s) => c.task.get({ tenantSlug: s, id: id("t", 7) })],
    ["knowledge.list", (c, s) => c.knowledge.list({ tenantSlug: s })],
    ["knowledge.list (status)", (c, s) => c.knowledge.list({ tenantSlug: s, status: "failed" })],
    ["knowledge.list (page 2)", (c, s) => c.knowledge.list({ tenantSlug: s, cursor: id("d", 20) })],
    ["knowledge.get", (c, s) => c.knowledge.get({ tenantSlug: s, id: id("d", 7) })],
    ["knowledge.usage", (c, s) => c.knowledge.usage({ tenantSlug: s })],
    ["audit.list", (c, s) => c.audit.list({ tenantSlug: s })],
    ["provider.list", (c, s) => c.provider.list({ tenantSlug: s })],
    ["persona.list", (c, s) => c.persona.list({ tenantSlug: s })],
    ["accessReview.status", (c, s) => c.accessReview.status({ tenantSlug: s })],
    ["accessReview.list", (c, s) => c.accessReview.list({ tenantSlug: s })],
    ["accessReview.get", (c, s) => c.accessReview.get({ tenantSlug: s, reviewId: id("ar", 7) })],
    ["usage.get", (c, s) => c.usage.get({ tenantSlug: s })],
    ["usage.budget", (c, s) => c.usage.budget({ tenantSlug: s })],
    ["keys.status", (c, s) => c.keys.status({ tenantSlug: s })],
    ["support.notices", (c, s) => c.support.notices({ tenantSlug: s })],
    ["onboarding.get", (c, s) => c.onboarding.get({ tenantSlug: s })],
    ["overview.get", (c, s) => c.overview.get({ tenantSlug: s })],
  ];
};

describe("query plans of the tenant-scoped list queries (10k rows per workspace)", () => {
  it("no procedure makes PostgreSQL scan a tenant table sequentially", async () => {
    const caller = callerFor(fx.owner);
    const failures: string[] = [];
    const errors: string[] = [];
    let explained = 0;
    for (const [name, call] of procedures()) {
      const statements = await capture(async () => {
        try {
          await call(caller, fx.tenant.slug);
        } catch (err) {
          errors.push(`${name}: ${(err as Error).message}`);
        }
      });
      for (const q of statements.filter((s) => isRead(s.text) && touchesTenantTable(s.text))) {
        explained++;
        const { bad, plan } = await seqScansOf(q);
        const allowed = ALLOWED[name];
        if (allowed && bad.every((b) => b["Relation Name"] === allowed.table)) {
          console.warn(`query-plans: allowed seq scan in ${name} on ${allowed.table}: ${allowed.why}`);
          continue;
        }
        if (bad.length) {
          failures.push(
            `${name}: Seq Scan on ${bad.map((b) => b["Relation Name"]).join(", ")}\n  SQL: ${q.text}\n  params: ${JSON.stringify(q.values)}\n  plan: ${JSON.stringify(plan, null, 1)}`,
          );
        }
      }
    }
    expect({ errors, failures }, `\n${[...errors, ...failures].join("\n\n")}`).toEqual({ errors: [], failures: [] });
    expect(explained).toBeGreaterThan(procedures().length);
  }, 120_000);
});
