/**
 * A workspace's content of every retention class, written straight to the database (and its
 * document original to object storage) with a chosen creation time, for the retention and
 * deletion tests (services/privacy, inngest/jobs/retention-purge.test.ts).
 */
import { uid } from "../../prisma/factories";
import { db } from "~/server/db/client";
import { documentOriginalKey, type ObjectStorage } from "~/server/infra/storage";
import { sealOriginal } from "~/server/services/knowledge/original-cipher";

export type SeededContent = {
  conversationId: string;
  messageIds: string[];
  meetingId: string;
  actionItemId: string;
  taskId: string;
  documentId: string;
  chunkIds: string[];
  storageKey: string;
  llmCallId: string;
};

/** One of everything, created at `at`: a conversation with two messages (one citing the document), a meeting with a turn, decision and action item, a task with a step, a document with two chunks and its stored original, an LLM call. */
export const seedContent = async (opts: { tenantId: string; userId: string; at: Date; storage: ObjectStorage; label?: string }): Promise<SeededContent> => {
  const { tenantId, userId, at } = opts;
  const label = opts.label ?? uid(4);
  const document = await db.document.create({
    data: { tenantId, uploadedById: userId, title: `Plan ${label}`, filename: `plan-${label}.txt`, kind: "text", mimeType: "text/plain", sizeBytes: 11, sha256: uid(32), storageKey: "pending", status: "ready", createdAt: at },
  });
  const storageKey = documentOriginalKey(tenantId, document.id);
  // Stored as an upload stores it: sealed, its content key under the workspace's data key.
  const { sealed, columns } = await sealOriginal(tenantId, document.id, new TextEncoder().encode(`plan ${label}`));
  await opts.storage.put(storageKey, sealed);
  await db.document.update({ where: { id: document.id }, data: { storageKey, ...columns } });
  const chunks = await Promise.all(
    [0, 1].map((ordinal) => db.documentChunk.create({ data: { tenantId, documentId: document.id, ordinal, text: `Chunk ${ordinal} of ${label}`, charStart: 0, charEnd: 10, createdAt: at } })),
  );
  const conversation = await db.conversation.create({ data: { tenantId, userId, personaKey: "cfo", title: `Budget ${label}`, lastMessageAt: at, createdAt: at } });
  const citations = [{ n: 1, chunkId: chunks[0]!.id, documentId: document.id, title: document.title, page: null, heading: null, text: "Chunk 0" }];
  const messages = await Promise.all([
    db.message.create({ data: { tenantId, conversationId: conversation.id, role: "user", content: `Question ${label}`, createdAt: at } }),
    db.message.create({ data: { tenantId, conversationId: conversation.id, role: "assistant", content: `Answer ${label} [1]`, citations, createdAt: at } }),
  ]);
  const meeting = await db.meeting.create({
    data: { tenantId, createdById: userId, title: `Board ${label}`, goal: "Decide", agenda: ["Budget"], personaKeys: ["cfo", "ceo"], chairKey: "ceo", rounds: 1, status: "completed", createdAt: at },
  });
  await db.meetingTurn.create({ data: { tenantId, meetingId: meeting.id, itemIndex: 0, round: 1, personaKey: "cfo", content: `Turn ${label}`, createdAt: at } });
  await db.meetingOutcome.create({ data: { tenantId, meetingId: meeting.id, itemIndex: 0, decision: `Decision ${label}`, positions: [{ personaKey: "cfo", stance: "support", rationale: "ok" }], createdAt: at } });
  const task = await db.task.create({ data: { tenantId, createdById: userId, personaKey: "cfo", title: `Task ${label}`, description: "Do it", status: "done", deliverable: `Deliverable ${label}`, createdAt: at } });
  await db.taskStep.create({ data: { tenantId, taskId: task.id, revision: 1, name: "plan", status: "complete", output: "Plan", startedAt: at } });
  const actionItem = await db.actionItem.create({ data: { tenantId, meetingId: meeting.id, itemIndex: 0, ownerPersonaKey: "cfo", description: `Action ${label}`, taskId: task.id, createdAt: at } });
  const llmCall = await db.llmCall.create({ data: { tenantId, userId, provider: "offline", model: "offline", operation: "chat", durationMs: 5, status: "ok", createdAt: at } });
  return {
    conversationId: conversation.id,
    messageIds: messages.map((m) => m.id),
    meetingId: meeting.id,
    actionItemId: actionItem.id,
    taskId: task.id,
    documentId: document.id,
    chunkIds: chunks.map((c) => c.id),
    storageKey,
    llmCallId: llmCall.id,
  };
};

/** Which of the seeded rows still exist, per table (0 or the number seeded). */
export const remainingOf = async (s: SeededContent) => ({
  conversations: await db.conversation.count({ where: { id: s.conversationId } }),
  messages: await db.message.count({ where: { id: { in: s.messageIds } } }),
  meetings: await db.meeting.count({ where: { id: s.meetingId } }),
  meetingTurns: await db.meetingTurn.count({ where: { meetingId: s.meetingId } }),
  meetingOutcomes: await db.meetingOutcome.count({ where: { meetingId: s.meetingId } }),
  actionItems: await db.actionItem.count({ where: { meetingId: s.meetingId } }),
  tasks: await db.task.count({ where: { id: s.taskId } }),
  taskSteps: await db.taskStep.count({ where: { taskId: s.taskId } }),
  documents: await db.document.count({ where: { id: s.documentId } }),
  chunks: await db.documentChunk.count({ where: { id: { in: s.chunkIds } } }),
  llmCalls: await db.llmCall.count({ where: { id: s.llmCallId } }),
});

/** Whether the stored original is still in `storage`. */
export const objectExists = async (storage: ObjectStorage, key: string): Promise<boolean> =>
  storage.get(key).then(
    () => true,
    () => false,
  );
