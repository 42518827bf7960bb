/**
 * After the chaos run: did every acknowledged write survive?
 *
 *   message   every user message whose turn's `start` line arrived exists (same id, role user).
 *   meeting   every accepted meeting exists and settles: `completed`, or `failed`/`cancelled`
 *             AND resumable — the run resumes it (meeting.resume, as its creator) once the
 *             faults are over and it must then complete. Still `queued`/`running` when the
 *             drain deadline passes = stuck = lost.
 *   task      the same: `needs_review`/`done`, or `failed` then task.retry to `needs_review`.
 *   document  every accepted upload exists and is `ready` or `failed` (with a reason) — never
 *             left `queued`/`processing`.
 *
 * Also counted (not losses): assistant answers left `streaming` by a killed web process
 * (the next turn in that conversation fails them as streamInterrupted: services/chat/prepare-turn.ts).
 */
import pg from "pg";
import { sleep } from "../load/stack.mjs";

const ACTIVE = { meeting: ["queued", "running"], task: ["queued", "running"], document: ["queued", "processing"] };
const TABLE = { meeting: "Meeting", task: "Task", document: "Document" };
const GOOD = { meeting: ["completed"], task: ["needs_review", "done"], document: ["ready", "failed"] };

const statuses = async (db, kind, ids) => {
  if (!ids.length) return new Map();
  const { rows } = await db.query(`SELECT id, status, "errorReason" FROM "${TABLE[kind]}" WHERE id = ANY($1)`, [ids]);
  return new Map(rows.map((r) => [r.id, r]));
};

/** Waits until none of `ids` is active (or the deadline); returns the final rows. */
const drain = async (db, kind, ids, deadline, log) => {
  for (;;) {
    const rows = await statuses(db, kind, ids);
    const active = [...rows.values()].filter((r) => ACTIVE[kind].includes(r.status)).length;
    if (active === 0 || Date.now() > deadline) return rows;
    log?.(`waiting for ${active} ${kind}(s) still ${ACTIVE[kind].join("/")}`);
    await sleep(5_000);
  }
};

/**
 * `writes` from the traffic driver; `users` the seeded sessions (to resume as the creator);
 * `trpc(user, procedure, input)`; returns { byWrite: Map(write → { lost, state }), summary }.
 */
export const verifyWrites = async ({ databaseUrl, writes, users, trpc, drainMs, log }) => {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const result = new Map();
    const byKind = (k) => writes.filter((w) => w.kind === k);
    // Messages.
    const messages = byKind("message");
    const { rows: found } = await db.query(`SELECT id FROM "Message" WHERE id = ANY($1) AND role = 'user'`, [messages.map((m) => m.id)]);
    const have = new Set(found.map((r) => r.id));
    for (const m of messages) result.set(m, { lost: !have.has(m.id), state: have.has(m.id) ? "exists" : "missing" });
    const { rows: streaming } = await db.query(`SELECT count(*)::int AS n FROM "Message" WHERE id = ANY($1) AND status = 'streaming'`, [messages.map((m) => m.assistantMessageId)]);

    // Jobs and documents: drain, resume the failed ones, drain again.
    const deadline = Date.now() + drainMs;
    const summary = { messages: messages.length, interruptedAnswers: streaming[0].n, resumed: { meeting: 0, task: 0 }, resumeRefused: [] };
    for (const kind of ["meeting", "task", "document"]) {
      const list = byKind(kind);
      let rows = await drain(db, kind, list.map((w) => w.id), deadline, log);
      if (kind !== "document") {
        const failed = list.filter((w) => ["failed", "cancelled"].includes(rows.get(w.id)?.status));
        for (const w of failed) {
          const user = users.find((u) => u.email === w.email);
          const r = await trpc(user, kind === "meeting" ? "meeting.resume" : "task.retry", { tenantSlug: w.tenant, id: w.id });
          w.firstOutcome = `${rows.get(w.id).status} (${rows.get(w.id).errorReason ?? "no reason"})`;
          if (r.ok) summary.resumed[kind]++;
          else summary.resumeRefused.push(`${kind} ${w.id}: ${r.error}`);
        }
        if (failed.length) rows = await drain(db, kind, list.map((w) => w.id), Date.now() + drainMs, log);
      }
      for (const w of list) {
        const row = rows.get(w.id);
        const state = row ? `${row.status}${row.errorReason ? ` (${row.errorReason})` : ""}` : "missing";
        result.set(w, { lost: !row || !GOOD[kind].includes(row.status), state, resumed: Boolean(w.firstOutcome) });
      }
    }
    return { result, summary };
  } finally {
    await db.end();
  }
};
