// Row builders for the reliability tests (not shipped: only *.test.ts import it).
import { createUser, uid } from "../../../../prisma/factories";
import { db } from "~/server/db/client";

export const at = (iso: string) => new Date(iso);
export const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/** A conversation to hang assistant messages on, and a builder for them. */
export const chatOf = async (tenantId: string) => {
  const user = await createUser();
  const conversation = await db.conversation.create({ data: { tenantId, userId: user.id, personaKey: "cfo", title: "Reliability test" } });
  return (createdAt: Date, status: string, timeToFirstTokenMs: number | null, errorReason: string | null = null, role = "assistant") => ({
    conversationId: conversation.id,
    tenantId,
    role,
    content: "…",
    status,
    timeToFirstTokenMs,
    errorReason,
    createdAt,
  });
};

/** An InngestRun row: created at `createdAt`, started `waitMs` later (null: not started). */
export const run = (o: { functionId: string; tenantId: string | null; status: string; createdAt: Date; waitMs: number | null }) => ({
  id: `rel-run-${uid(8)}`,
  appId: "reliability-test",
  functionId: o.functionId,
  status: o.status,
  eventId: `rel-evt-${uid(8)}`,
  event: {},
  events: [],
  tenantId: o.tenantId,
  maxAttempts: 3,
  createdAt: o.createdAt,
  startedAt: o.waitMs === null ? null : new Date(o.createdAt.getTime() + o.waitMs),
  finishedAt: o.status === "COMPLETED" || o.status === "FAILED" ? new Date(o.createdAt.getTime() + (o.waitMs ?? 0) + 500) : null,
});

export const llmCall = (o: { tenantId: string; createdAt: Date; personaKey: string | null; model: string; inputTokens: number | null; outputTokens: number | null }) => ({
  provider: "offline",
  operation: "chat",
  durationMs: 10,
  status: "ok",
  ...o,
});

export const times = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
