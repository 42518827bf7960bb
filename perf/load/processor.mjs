// The artillery processor for perf/load/*.yml (`npm run perf:load`, perf/load/run.mjs).
//
// Every virtual user (VU) is one signed-in person of a seeded workspace: the
// runner signed each seeded user in once through the real sign-in endpoint and
// wrote the session cookies to PERF_LOAD_SESSIONS; a VU picks one of them
// (beforeScenario: signedIn) and puts its cookies in the VU's cookie jar, as a
// browser would hold them. Writes send the Origin header a browser sends.
//
// Custom metrics (artillery counters/histograms, in ms unless named otherwise):
//   chat.*       chat.ttft (request → first text delta), chat.full_answer (request → done line),
//                chat.turns.{started,completed,failed}
//   meeting.*    meeting.{wall_time,queue_wait,run_time}, meeting.run_pct_of_model_floor,
//                meeting.{created,completed,failed,timed_out}, meeting.turns (model calls done)
//   task.*       task.{time_to_review,queue_wait,run_time}, task.run_pct_of_model_floor,
//                task.{created,needs_review,failed,timed_out}
//   knowledge.*  knowledge.time_to_ready (server), knowledge.client_time_to_ready,
//                knowledge.{uploaded,ready,failed,timed_out,duplicate},
//                knowledge.pages (pages made ready)
//   api.*        api.responses, api.errors_5xx, api.errors_4xx (every artillery-made HTTP response)
// Counters used in ensure conditions are emitted as 0 at the start of each VU,
// so a run without failures still has them (an unknown metric fails a check).
// A flow that fails (an HTTP error, a failed or stuck job) fails its VU:
// artillery counts it in vusers.failed and errors.<message>.
import { readFileSync } from "node:fs";
import { makePdf } from "./documents.mjs";

const sessionsFile = process.env.PERF_LOAD_SESSIONS;
if (!sessionsFile) throw new Error("PERF_LOAD_SESSIONS is not set: run the scenarios through `npm run perf:load` (perf/load/run.mjs)");
/** @type {{ users: { email: string, tenant: string, role: string, cookies: Record<string, string> }[] }} */
const sessions = JSON.parse(readFileSync(sessionsFile, "utf8"));
const { users } = sessions;

// The mock provider's latency, so job run times can be put against the model's own time.
const MOCK_TTFT_MS = Number(process.env.PERF_LOAD_MOCK_TTFT_MS ?? 300);
const MOCK_CHUNKS = Number(process.env.PERF_LOAD_MOCK_CHUNKS ?? 60);
const MOCK_CHUNK_MS = Number(process.env.PERF_LOAD_MOCK_CHUNK_MS ?? 33);
/** The least time one model call takes against the mock: time to first token + every chunk's delay. */
const MODEL_CALL_FLOOR_MS = MOCK_TTFT_MS + Math.max(0, MOCK_CHUNKS - 1) * MOCK_CHUNK_MS;
/** How long a job flow may poll before it counts as stuck. */
const POLL_DEADLINE_MS = Number(process.env.PERF_LOAD_POLL_DEADLINE_MS ?? 120_000);

const counters = (events, names) => {
  for (const n of names) events.emit("counter", n, 0);
};
const fail = (events, counter, message) => {
  events.emit("counter", counter, 1);
  return new Error(message);
};
/** tRPC v11 with superjson: `{ result: { data: { json } } }`. */
const trpcData = (body) => JSON.parse(typeof body === "string" ? body : body.toString("utf8")).result.data.json;
const trpcInput = (json) => JSON.stringify({ json });
const ms = (a, b) => new Date(b).getTime() - new Date(a).getTime();

// ─── every scenario ──────────────────────────────────────────────────────────

/** beforeScenario: this VU becomes one seeded user, signed in. */
export function signedIn(context, events, done) {
  const target = context.vars.target;
  const user = users[Math.floor(Math.random() * users.length)];
  for (const [name, value] of Object.entries(user.cookies)) context._jar.setCookieSync(`${name}=${value}`, target);
  context._enableCookieJar = true;
  context.vars.origin = new URL(target).origin;
  context.vars.tenant = user.tenant;
  context.vars.email = user.email;
  context.vars.uid = `${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  context.vars.tenantInput = trpcInput({ tenantSlug: user.tenant });
  counters(events, ["api.responses", "api.errors_5xx", "api.errors_4xx"]);
  return done();
}

/** afterResponse (scenario level): counts every response; any HTTP error fails the VU's flow, as it would break the user's page. */
export function trackApi(req, res, context, events, next) {
  events.emit("counter", "api.responses", 1);
  const status = res.statusCode;
  if (status >= 500) events.emit("counter", "api.errors_5xx", 1);
  else if (status >= 400) events.emit("counter", "api.errors_4xx", 1);
  if (status >= 400) return next(new Error(`HTTP ${status} ${req.name ?? req.url}`));
  return next();
}

// ─── chat ────────────────────────────────────────────────────────────────────

export function chatStart(context, events, done) {
  counters(events, ["chat.turns.started", "chat.turns.completed", "chat.turns.failed"]);
  context.vars.conversationId = undefined;
  return done();
}

/**
 * One chat turn over the NDJSON route, read as the UI reads it: the time of the
 * first `delta` line (time to first token as the user sees it) and of the
 * `done` line (the full answer). The first turn opens a conversation; later
 * turns continue it.
 */
export async function chatTurn(context, events) {
  const { origin, tenant } = context.vars;
  const url = `${origin}/api/t/${tenant}/chat`;
  const turn = (context.vars.turn = (context.vars.turn ?? 0) + 1);
  const content = turn === 1 ? `What does our runway look like if we hire two engineers next quarter? (${context.vars.uid})` : "And if revenue grows 5% a month instead, what changes?";
  const body = { action: "send", personaKey: "cfo", content, locale: "en", ...(context.vars.conversationId ? { conversationId: context.vars.conversationId } : {}) };
  events.emit("counter", "chat.turns.started", 1);
  const t0 = performance.now();
  let res;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: context._jar.getCookieStringSync(url), origin },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw fail(events, "chat.turns.failed", `chat: ${err.name}`);
  }
  if (res.status !== 200) {
    await res.text().catch(() => "");
    throw fail(events, "chat.turns.failed", `chat: HTTP ${res.status}`);
  }
  let firstDelta = null;
  let outcome = null;
  let buf = "";
  const decoder = new TextDecoder();
  const onLine = (line) => {
    if (!line) return;
    const ev = JSON.parse(line);
    if (ev.type === "start") context.vars.conversationId = ev.conversation.id;
    else if (ev.type === "delta" && firstDelta === null && ev.text) firstDelta = performance.now() - t0;
    else if (ev.type === "done") outcome = { ok: true, at: performance.now() - t0 };
    else if (ev.type === "error") outcome = { ok: false, reason: ev.reason };
  };
  try {
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk, { stream: true });
      const lines = buf.split("\n");
      buf = lines.pop();
      lines.forEach(onLine);
    }
    onLine(buf.trim());
  } catch (err) {
    throw fail(events, "chat.turns.failed", `chat stream: ${err.name}`);
  }
  if (!outcome) throw fail(events, "chat.turns.failed", "chat stream: ended without done");
  if (!outcome.ok) throw fail(events, "chat.turns.failed", `chat turn failed: ${outcome.reason}`);
  if (firstDelta === null) throw fail(events, "chat.turns.failed", "chat stream: no text delta");
  events.emit("histogram", "chat.ttft", firstDelta);
  events.emit("histogram", "chat.full_answer", outcome.at);
  events.emit("counter", "chat.turns.completed", 1);
}

export function setConversationInput(context, events, done) {
  context.vars.conversationInput = trpcInput({ tenantSlug: context.vars.tenant, id: context.vars.conversationId });
  return done();
}

// ─── polling a job until it settles ──────────────────────────────────────────

/** afterResponse of a create mutation: remembers the new id and the input of the matching `get`. */
export function jobCreated(req, res, context, events, next) {
  if (res.statusCode >= 400) return next(); // trackApi fails the flow
  const { id } = trpcData(res.body);
  context.vars.jobId = id;
  context.vars.jobInput = trpcInput({ tenantSlug: context.vars.tenant, id });
  context.vars.jobCreatedAt = Date.now();
  context.vars.jobState = null;
  return next();
}

/** whileTrue of the polling loop: until the job settles or the deadline passes. */
export function jobPending(context, next) {
  if (context.vars.jobSettled) return next(false);
  return next(Date.now() - context.vars.jobCreatedAt < POLL_DEADLINE_MS);
}

// ─── board meetings ──────────────────────────────────────────────────────────

export function meetingStart(context, events, done) {
  counters(events, ["meeting.created", "meeting.completed", "meeting.failed", "meeting.timed_out", "meeting.turns"]);
  context.vars.jobSettled = false;
  return done();
}

/** afterResponse of meeting.get. */
export function meetingPolled(req, res, context, events, next) {
  if (res.statusCode >= 400) return next();
  const detail = trpcData(res.body);
  context.vars.jobState = detail;
  context.vars.jobSettled = !["queued", "running"].includes(detail.meeting.status);
  return next();
}

export function meetingFinished(context, events, done) {
  events.emit("counter", "meeting.created", 1);
  const d = context.vars.jobState;
  if (!d || !context.vars.jobSettled) return done(fail(events, "meeting.timed_out", `meeting not finished within ${POLL_DEADLINE_MS / 1000} s`));
  const m = d.meeting;
  if (m.status !== "completed") return done(fail(events, "meeting.failed", `meeting ${m.status}: ${m.errorReason ?? "no reason"}`));
  events.emit("counter", "meeting.completed", 1);
  // Model calls: every persona turn plus the chair's close of each item.
  events.emit("counter", "meeting.turns", d.progress.total);
  events.emit("histogram", "meeting.wall_time", ms(m.createdAt, m.finishedAt));
  events.emit("histogram", "meeting.queue_wait", ms(m.createdAt, m.startedAt));
  const run = ms(m.startedAt, m.finishedAt);
  events.emit("histogram", "meeting.run_time", run);
  // The calls run one after another: the run can take no less than their model time.
  events.emit("histogram", "meeting.run_pct_of_model_floor", (100 * run) / (d.progress.total * MODEL_CALL_FLOOR_MS));
  return done();
}

// ─── tasks ───────────────────────────────────────────────────────────────────

export function taskStart(context, events, done) {
  counters(events, ["task.created", "task.needs_review", "task.failed", "task.timed_out"]);
  context.vars.jobSettled = false;
  return done();
}

/** afterResponse of task.get. */
export function taskPolled(req, res, context, events, next) {
  if (res.statusCode >= 400) return next();
  const detail = trpcData(res.body);
  context.vars.jobState = detail;
  context.vars.jobSettled = !["queued", "running"].includes(detail.task.status);
  return next();
}

/** The task's model calls: plan, draft and review (research is a knowledge search). */
const TASK_MODEL_CALLS = 3;

export function taskFinished(context, events, done) {
  events.emit("counter", "task.created", 1);
  const d = context.vars.jobState;
  if (!d || !context.vars.jobSettled) return done(fail(events, "task.timed_out", `task not in review within ${POLL_DEADLINE_MS / 1000} s`));
  const t = d.task;
  if (t.status !== "needs_review") return done(fail(events, "task.failed", `task ${t.status}: ${t.errorReason ?? "no reason"}`));
  events.emit("counter", "task.needs_review", 1);
  const review = d.steps.find((s) => s.name === "review" && s.finishedAt);
  const reviewedAt = review ? review.finishedAt : t.updatedAt;
  events.emit("histogram", "task.time_to_review", ms(t.queuedAt, reviewedAt));
  events.emit("histogram", "task.queue_wait", ms(t.queuedAt, t.startedAt));
  const run = ms(t.startedAt, reviewedAt);
  events.emit("histogram", "task.run_time", run);
  events.emit("histogram", "task.run_pct_of_model_floor", (100 * run) / (TASK_MODEL_CALLS * MODEL_CALL_FLOOR_MS));
  return done();
}

// ─── knowledge uploads ───────────────────────────────────────────────────────

export function knowledgeStart(context, events, done) {
  counters(events, ["knowledge.uploaded", "knowledge.ready", "knowledge.failed", "knowledge.timed_out", "knowledge.duplicate", "knowledge.pages"]);
  context.vars.jobSettled = false;
  return done();
}

/** beforeRequest of the upload: the body is a freshly generated PDF, sent as the UI sends a file. */
export function attachDocument(requestParams, context, events, next) {
  const name = `operating-review-${context.vars.uid}.pdf`;
  requestParams.body = makePdf(context.vars.uid);
  requestParams.headers = { ...requestParams.headers, "content-type": "application/octet-stream", "x-filename": encodeURIComponent(name) };
  return next();
}

/** afterResponse of the upload (201 new document; 200 is a duplicate, which a unique file never is). */
export function documentUploaded(req, res, context, events, next) {
  if (res.statusCode >= 400) return next();
  const { document, duplicate } = JSON.parse(res.body);
  if (duplicate) return next(fail(events, "knowledge.duplicate", "upload answered duplicate"));
  events.emit("counter", "knowledge.uploaded", 1);
  context.vars.jobInput = trpcInput({ tenantSlug: context.vars.tenant, id: document.id });
  context.vars.jobCreatedAt = Date.now();
  context.vars.jobState = document;
  return next();
}

/** afterResponse of knowledge.get. */
export function documentPolled(req, res, context, events, next) {
  if (res.statusCode >= 400) return next();
  const doc = trpcData(res.body);
  context.vars.jobState = doc;
  context.vars.jobSettled = !["queued", "processing"].includes(doc.status);
  return next();
}

export function documentFinished(context, events, done) {
  const doc = context.vars.jobState;
  if (!doc || !context.vars.jobSettled) return done(fail(events, "knowledge.timed_out", `document not ready within ${POLL_DEADLINE_MS / 1000} s`));
  if (doc.status !== "ready") return done(fail(events, "knowledge.failed", `document ${doc.status}: ${doc.errorReason ?? "no reason"}`));
  events.emit("counter", "knowledge.ready", 1);
  events.emit("counter", "knowledge.pages", doc.pageCount ?? 0);
  // Upload accepted → indexed (server clock): queue wait + extraction + chunking + indexing.
  events.emit("histogram", "knowledge.time_to_ready", ms(doc.createdAt, doc.indexedAt));
  // As the uploader sees it: from the upload's answer to the poll that saw it ready.
  events.emit("histogram", "knowledge.client_time_to_ready", Date.now() - context.vars.jobCreatedAt);
  return done();
}
