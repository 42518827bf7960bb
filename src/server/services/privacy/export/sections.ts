import "server-only";
import { db } from "~/server/db/client";
import type { TExportScope } from "./format";

/*
 * What an export holds, one section per object type: the rows of one table as JSON Lines, read
 * in id-cursor batches (BATCH rows at a time, so a workspace with millions of messages streams
 * through in constant memory). Every query names its columns (`select`): a column added to a
 * table later is not exported until someone decides it belongs here, which is how secrets
 * (provider key ciphertexts, password hashes, token hashes) stay out — tested in
 * export.test.ts. A "user" export narrows each section to that member's own data.
 */

/**
 * Whose data, and the moment the archive is of: the audit chain grows while the export runs (the
 * export's own events), so it is cut at `asOf` and a reader can count the same rows again.
 */
export type ExportTarget = { tenantId: string; userId: string; scope: TExportScope; asOf: Date };

type Row = Record<string, unknown> & { id: string };
type Page = (afterId: string | undefined, take: number) => Promise<Row[]>;

export type Section = {
  /** The key in the manifest's counts. */
  key: string;
  file: string;
  count: () => Promise<number>;
  page: Page;
};

const BATCH = 500;
const after = (id: string | undefined) => (id ? { id: { gt: id } } : {});
const byId = { id: "asc" } as const;

/** Every row of a section (or any id-ordered page function), batch by batch. */
export async function* sectionPages<R extends { id: string }>(section: { page: (afterId: string | undefined, take: number) => Promise<R[]> }): AsyncGenerator<R[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await section.page(cursor, BATCH);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

const memberSelect = { id: true, role: true, createdAt: true, lastActiveAt: true, user: { select: { id: true, email: true, name: true } } } as const;
const conversationSelect = { id: true, userId: true, personaKey: true, title: true, inputTokens: true, outputTokens: true, lastMessageAt: true, createdAt: true, updatedAt: true } as const;
const messageSelect = {
  id: true, conversationId: true, role: true, content: true, status: true, errorReason: true, provider: true, model: true, offline: true,
  inputTokens: true, outputTokens: true, timeToFirstTokenMs: true, citations: true, createdAt: true, updatedAt: true,
} as const;
const meetingSelect = {
  id: true, createdById: true, title: true, goal: true, agenda: true, personaKeys: true, chairKey: true, rounds: true, status: true, errorReason: true,
  inputTokens: true, outputTokens: true, startedAt: true, finishedAt: true, createdAt: true, updatedAt: true,
} as const;
const turnSelect = { id: true, meetingId: true, itemIndex: true, round: true, personaKey: true, content: true, provider: true, model: true, offline: true, inputTokens: true, outputTokens: true, durationMs: true, createdAt: true } as const;
const outcomeSelect = { id: true, meetingId: true, itemIndex: true, decision: true, positions: true, dissent: true, createdAt: true } as const;
const actionSelect = { id: true, meetingId: true, itemIndex: true, ownerPersonaKey: true, description: true, dueDate: true, taskId: true, createdAt: true } as const;
const taskSelect = {
  id: true, createdById: true, personaKey: true, title: true, description: true, dueDate: true, status: true, errorReason: true, deliverable: true, feedback: true,
  revision: true, sourceActionItemId: true, inputTokens: true, outputTokens: true, queuedAt: true, startedAt: true, finishedAt: true, createdAt: true, updatedAt: true,
} as const;
const stepSelect = { id: true, taskId: true, revision: true, name: true, status: true, output: true, inputTokens: true, outputTokens: true, startedAt: true, finishedAt: true, durationMs: true } as const;
const documentSelect = {
  id: true, uploadedById: true, title: true, filename: true, kind: true, mimeType: true, sizeBytes: true, sha256: true, storageKey: true, storageRegion: true,
  status: true, errorReason: true, pageCount: true, charCount: true, chunkCount: true, createdAt: true, updatedAt: true, indexedAt: true,
} as const;
const llmCallSelect = {
  id: true, userId: true, personaKey: true, conversationId: true, provider: true, model: true, operation: true, inputTokens: true, outputTokens: true,
  timeToFirstTokenMs: true, durationMs: true, status: true, errorCode: true, createdAt: true,
} as const;
const auditSelect = {
  id: true, chain: true, seq: true, actorId: true, actorType: true, action: true, targetType: true, targetId: true, ip: true, userAgent: true, result: true,
  metadata: true, createdAt: true, prevHash: true, hash: true,
} as const;

/** The where clauses of a target: the whole workspace, or what the member made or owns in it. */
const scopeOf = (t: ExportTarget) => {
  const mine = t.scope === "user";
  const own = <W extends object>(w: W) => (mine ? w : {});
  return {
    members: { tenantId: t.tenantId, ...own({ userId: t.userId }) },
    invitations: { tenantId: t.tenantId, ...own({ invitedById: t.userId }) },
    conversations: { tenantId: t.tenantId, ...own({ userId: t.userId }) },
    messages: { tenantId: t.tenantId, ...own({ conversation: { userId: t.userId } }) },
    meetings: { tenantId: t.tenantId, ...own({ createdById: t.userId }) },
    ofMeetings: { tenantId: t.tenantId, ...own({ meeting: { createdById: t.userId } }) },
    tasks: { tenantId: t.tenantId, ...own({ createdById: t.userId }) },
    taskSteps: { tenantId: t.tenantId, ...own({ task: { createdById: t.userId } }) },
    documents: { tenantId: t.tenantId, ...own({ uploadedById: t.userId }) },
    llmCalls: { tenantId: t.tenantId, ...own({ userId: t.userId }) },
    audit: { chain: t.tenantId, createdAt: { lte: t.asOf }, ...own({ actorId: t.userId }) },
  };
};

/** The sections of a target, in archive order. Workspace-only configuration is left out of a user export. */
export const sectionsOf = (t: ExportTarget): Section[] => {
  const w = scopeOf(t);
  const workspaceOnly = t.scope === "workspace";
  const sections: (Section | null)[] = [
    { key: "members", file: "members.jsonl", count: () => db.membership.count({ where: w.members }), page: (a, take) => db.membership.findMany({ where: { ...w.members, ...after(a) }, orderBy: byId, take, select: memberSelect }) },
    {
      key: "invitations",
      file: "invitations.jsonl",
      count: () => db.invitation.count({ where: w.invitations }),
      page: (a, take) => db.invitation.findMany({ where: { ...w.invitations, ...after(a) }, orderBy: byId, take, select: { id: true, email: true, role: true, invitedById: true, expiresAt: true, acceptedAt: true, revokedAt: true, createdAt: true } }),
    },
    workspaceOnly
      ? {
          key: "personas",
          file: "personas.jsonl",
          count: () => db.tenantPersona.count({ where: { tenantId: t.tenantId } }),
          // At most one row per built-in persona: one page, keyed by the persona key.
          page: async (a) =>
            a
              ? []
              : (await db.tenantPersona.findMany({ where: { tenantId: t.tenantId }, orderBy: { key: "asc" }, select: { key: true, name: true, instructions: true, credentialId: true, model: true, temperature: true, enabled: true, version: true, createdAt: true, updatedAt: true } })).map((p) => ({ id: p.key, ...p })),
        }
      : null,
    workspaceOnly
      ? {
          key: "providerKeys",
          file: "provider-keys.jsonl",
          count: () => db.providerCredential.count({ where: { tenantId: t.tenantId } }),
          // Which providers and models, never the key: no ciphertext, key version or last digits.
          page: (a, take) => db.providerCredential.findMany({ where: { tenantId: t.tenantId, ...after(a) }, orderBy: byId, take, select: { id: true, provider: true, label: true, baseUrl: true, defaultModel: true, createdAt: true, lastUsedAt: true } }),
        }
      : null,
    { key: "conversations", file: "conversations.jsonl", count: () => db.conversation.count({ where: w.conversations }), page: (a, take) => db.conversation.findMany({ where: { ...w.conversations, ...after(a) }, orderBy: byId, take, select: conversationSelect }) },
    { key: "messages", file: "messages.jsonl", count: () => db.message.count({ where: w.messages }), page: (a, take) => db.message.findMany({ where: { ...w.messages, ...after(a) }, orderBy: byId, take, select: messageSelect }) },
    { key: "meetings", file: "meetings.jsonl", count: () => db.meeting.count({ where: w.meetings }), page: (a, take) => db.meeting.findMany({ where: { ...w.meetings, ...after(a) }, orderBy: byId, take, select: meetingSelect }) },
    { key: "meetingTurns", file: "meeting-turns.jsonl", count: () => db.meetingTurn.count({ where: w.ofMeetings }), page: (a, take) => db.meetingTurn.findMany({ where: { ...w.ofMeetings, ...after(a) }, orderBy: byId, take, select: turnSelect }) },
    { key: "meetingDecisions", file: "meeting-decisions.jsonl", count: () => db.meetingOutcome.count({ where: w.ofMeetings }), page: (a, take) => db.meetingOutcome.findMany({ where: { ...w.ofMeetings, ...after(a) }, orderBy: byId, take, select: outcomeSelect }) },
    { key: "actionItems", file: "action-items.jsonl", count: () => db.actionItem.count({ where: w.ofMeetings }), page: (a, take) => db.actionItem.findMany({ where: { ...w.ofMeetings, ...after(a) }, orderBy: byId, take, select: actionSelect }) },
    { key: "tasks", file: "tasks.jsonl", count: () => db.task.count({ where: w.tasks }), page: (a, take) => db.task.findMany({ where: { ...w.tasks, ...after(a) }, orderBy: byId, take, select: taskSelect }) },
    { key: "taskSteps", file: "task-steps.jsonl", count: () => db.taskStep.count({ where: w.taskSteps }), page: (a, take) => db.taskStep.findMany({ where: { ...w.taskSteps, ...after(a) }, orderBy: byId, take, select: stepSelect }) },
    { key: "documents", file: "documents.jsonl", count: () => db.document.count({ where: w.documents }), page: (a, take) => db.document.findMany({ where: { ...w.documents, ...after(a) }, orderBy: byId, take, select: documentSelect }) },
    { key: "llmCalls", file: "llm-calls.jsonl", count: () => db.llmCall.count({ where: w.llmCalls }), page: (a, take) => db.llmCall.findMany({ where: { ...w.llmCalls, ...after(a) }, orderBy: byId, take, select: llmCallSelect }) },
    {
      key: "auditEvents",
      file: "audit-events.jsonl",
      count: () => db.auditEvent.count({ where: w.audit }),
      page: (a, take) => db.auditEvent.findMany({ where: { ...w.audit, ...after(a) }, orderBy: byId, take, select: auditSelect }),
    },
  ];
  return sections.filter((s): s is Section => s !== null);
};

/** The documents whose originals go in the archive (id, name, storage key and region). */
export const documentsOf = (t: ExportTarget) => scopeOf(t).documents;
