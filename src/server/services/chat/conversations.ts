import "server-only";
import { z } from "zod";
import { searchWords } from "~/lib/search";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { blindTsquery, prefixTsquery } from "~/server/db/search-index";
import { AppError, notFound } from "~/server/errors";
import type { TenantCtx } from "../context";
import { PERSONA_KEYS, isPersonaKey, type PersonaKey } from "../personas/templates";
import { contentKeysFor, openSealedColumns } from "~/server/db/keys/content-keys";
import { applyOverride, loadCredentialRows, summariseModel } from "../personas/resolve";
import { MESSAGE_SELECT, toMessageDto, displayModel, type ChatMessageDto } from "./dto";

/*
 * A user's conversations with the personas. Conversations are PRIVATE: every
 * query filters by tenantId AND userId, so another member (even an admin or
 * owner) gets NOT_FOUND, exactly as for an id that does not exist.
 */

/** Only what a conversation scope needs (the tRPC TenantCtx and the chat route's context both fit). */
export type ChatScope = Pick<TenantCtx, "tenantId" | "userId">;

export const MAX_SEARCH_CHARS = 200;
export const DEFAULT_LIST_LIMIT = 30;
export const MAX_LIST_LIMIT = 50;
const SNIPPET_CHARS = 120;

// ─── personas available for chat ────────────────────────────────────────────

export type ChatPersona = { key: PersonaKey; name: string; mandate: string; offline: boolean; provider: string; model: string | null };

/** The tenant's ENABLED personas in built-in order, with customised names and the model each answers with. */
export const listChatPersonas = async (ctx: ChatScope): Promise<{ personas: ChatPersona[] }> => {
  const [overrides, credentials] = await Promise.all([db.tenantPersona.findMany({ where: { tenantId: ctx.tenantId } }), loadCredentialRows(ctx.tenantId)]);
  const byKey = new Map(overrides.map((o) => [o.key, o]));
  const personas = PERSONA_KEYS.flatMap((key): ChatPersona[] => {
    const o = byKey.get(key) ?? null;
    if (o && !o.enabled) return [];
    const template = applyOverride(key, o);
    const summary = summariseModel(o, credentials);
    return [{ key, name: template.name, mandate: template.mandate, offline: summary.offline, provider: summary.provider, model: displayModel(summary) }];
  });
  return { personas };
};

/** The persona's display name for a conversation (customised, else built-in; the raw key for an unknown one). */
const personaNameOf = async (tenantId: string, key: string): Promise<string> => {
  if (!isPersonaKey(key)) return key;
  const o = await db.tenantPersona.findUnique({ where: { tenantId_key: { tenantId, key } }, select: { name: true, instructions: true } });
  return applyOverride(key, o).name;
};

// ─── list and search ────────────────────────────────────────────────────────

export const ZListConversationsInput = z.object({
  personaKey: z.string().trim().min(1).max(40).optional(),
  query: z.string().trim().max(MAX_SEARCH_CHARS).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
});
export type ListConversationsInput = z.input<typeof ZListConversationsInput>;

export type ConversationListItem = {
  id: string;
  title: string;
  personaKey: string;
  lastMessageAt: Date;
  inputTokens: number;
  outputTokens: number;
  messageCount: number;
  snippet: string | null;
};
export type ConversationList = { items: ConversationListItem[]; nextCursor: string | null };


// Keyset pagination on (lastMessageAt, id), newest first. The cursor is opaque
// to clients; a tampered one is a BAD_REQUEST, not a 500.
const ZCursor = z.object({ t: z.iso.datetime(), id: z.string().min(1).max(64) });
const encodeCursor = (c: { lastMessageAt: Date; id: string }) => Buffer.from(JSON.stringify({ t: c.lastMessageAt.toISOString(), id: c.id })).toString("base64url");
const decodeCursor = (raw: string) => {
  try {
    const c = ZCursor.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return { at: new Date(c.t), id: c.id };
  } catch {
    throw new AppError("BAD_REQUEST", "invalidCursor", "The list cursor is not valid");
  }
};

/** ~120 characters of `content` around the first case-insensitive occurrence of `query`. */
export const snippetAround = (content: string, query: string): string => {
  const flat = content.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  // The query as typed, else its first word found (messages match word by word).
  const needle = [query, ...searchWords(query)].map((q) => q.toLowerCase()).find((q) => lower.includes(q)) ?? query;
  const at = lower.indexOf(needle.toLowerCase());
  if (flat.length <= SNIPPET_CHARS) return flat;
  const centre = at < 0 ? 0 : at + Math.floor(needle.length / 2);
  const start = Math.max(0, Math.min(flat.length - SNIPPET_CHARS, centre - SNIPPET_CHARS / 2));
  const end = Math.min(flat.length, start + SNIPPET_CHARS);
  return `${start > 0 ? "…" : ""}${flat.slice(start, end).trim()}${end < flat.length ? "…" : ""}`;
};

type ListRow = {
  id: string;
  title: string;
  personaKey: string;
  lastMessageAt: Date;
  inputTokens: number;
  outputTokens: number;
  messageCount: number;
  matchContent: string | null;
};

/**
 * The caller's conversations, newest activity first; optionally one persona's,
 * optionally those whose title has a word starting with each word of `query`, OR
 * one of whose messages holds every word of it. Titles and messages are sealed at
 * rest (ADR 0015), so both are matched on blind indexes (db/search-index.ts): the
 * title's word-prefix tokens, the messages' whole words, case-folded, each query
 * word blinded with the workspace's key. Punctuation is not searched.
 */
export const listConversations = async (ctx: ChatScope, raw: ListConversationsInput = {}): Promise<ConversationList> => {
  const input = ZListConversationsInput.parse(raw);
  const query = input.query ? input.query : null;
  const words = query ? searchWords(query) : [];
  const keys = words.length > 0 ? await contentKeysFor(ctx.tenantId) : null;
  const [blind] = keys ? await blindTsquery(db, keys, "simple", [words.map((w) => `'${w}'`).join(" & ")]) : [];
  const titlePrefixes = keys ? prefixTsquery(keys, words) : null;
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  const messageMatches = blind ? Prisma.sql`m."searchIndex"::tsvector @@ ${blind}::tsquery` : Prisma.sql`false`;

  const conditions: Prisma.Sql[] = [Prisma.sql`c."tenantId" = ${ctx.tenantId}`, Prisma.sql`c."userId" = ${ctx.userId}`];
  if (input.personaKey) conditions.push(Prisma.sql`c."personaKey" = ${input.personaKey}`);
  if (query) {
    conditions.push(
      // OFFSET 0 keeps the EXISTS a per-conversation subplan (the (conversationId, createdAt) index,
      // only for the caller's conversations, stopping at the page's LIMIT) instead of a semi-join over
      // every tenant's messages, which the planner picks with a sequential scan (tests/query-plans.test.ts).
      titlePrefixes
        ? Prisma.sql`(c."searchTsv" @@ ${titlePrefixes}::tsquery OR EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c."id" AND ${messageMatches} OFFSET 0))`
        : Prisma.sql`false`,
    );
  }
  if (cursor) conditions.push(Prisma.sql`(c."lastMessageAt" < ${cursor.at} OR (c."lastMessageAt" = ${cursor.at} AND c."id" < ${cursor.id}))`);

  const matchColumn = query
    ? Prisma.sql`(SELECT m."content" FROM "Message" m WHERE m."conversationId" = c."id" AND ${messageMatches} ORDER BY m."createdAt" DESC, m."id" DESC LIMIT 1)`
    : Prisma.sql`NULL::text`;

  const rows = await db.$queryRaw<ListRow[]>`
    SELECT c."id", c."title", c."personaKey", c."lastMessageAt", c."inputTokens", c."outputTokens",
           (SELECT count(*)::int FROM "Message" m WHERE m."conversationId" = c."id") AS "messageCount",
           ${matchColumn} AS "matchContent"
    FROM "Conversation" c
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY c."lastMessageAt" DESC, c."id" DESC
    LIMIT ${input.limit + 1}`;

  const page = await openSealedColumns(rows.slice(0, input.limit), { title: "Conversation.title", matchContent: "Message.content" });
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      title: r.title,
      personaKey: r.personaKey,
      lastMessageAt: r.lastMessageAt,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      messageCount: Number(r.messageCount),
      snippet: query && r.matchContent !== null ? snippetAround(r.matchContent, query) : null,
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null,
  };
};

// ─── one conversation ───────────────────────────────────────────────────────

export type ConversationDetail = {
  conversation: {
    id: string;
    title: string;
    personaKey: string;
    personaName: string;
    inputTokens: number;
    outputTokens: number;
    createdAt: Date;
    lastMessageAt: Date;
  };
  messages: ChatMessageDto[];
};

/** The caller's own conversation, or NOT_FOUND (also for another member's). */
export const findOwnConversation = async (ctx: ChatScope, id: string) => {
  const c = await db.conversation.findFirst({
    where: { id, tenantId: ctx.tenantId, userId: ctx.userId },
    select: { id: true, title: true, personaKey: true, inputTokens: true, outputTokens: true, createdAt: true, lastMessageAt: true },
  });
  if (!c) throw notFound("Conversation");
  return c;
};

export const getConversation = async (ctx: ChatScope, input: { id: string }): Promise<ConversationDetail> => {
  const c = await findOwnConversation(ctx, input.id);
  const [messages, personaName] = await Promise.all([
    db.message.findMany({ where: { conversationId: c.id, tenantId: ctx.tenantId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: MESSAGE_SELECT }),
    personaNameOf(ctx.tenantId, c.personaKey),
  ]);
  return { conversation: { ...c, personaName }, messages: messages.map(toMessageDto) };
};

export const ZConversationTitle = z.string().trim().min(1).max(120);

export const renameConversation = async (ctx: ChatScope, input: { id: string; title: string }): Promise<{ id: string; title: string }> => {
  const title = ZConversationTitle.parse(input.title);
  // A conditional update: scope and change in one statement.
  const res = await db.conversation.updateMany({ where: { id: input.id, tenantId: ctx.tenantId, userId: ctx.userId }, data: { title } });
  if (res.count === 0) throw notFound("Conversation");
  return { id: input.id, title };
};

/** Deletes the conversation and (by cascade) its messages. */
export const deleteConversation = async (ctx: ChatScope, input: { id: string }): Promise<{ id: string }> => {
  const res = await db.conversation.deleteMany({ where: { id: input.id, tenantId: ctx.tenantId, userId: ctx.userId } });
  if (res.count === 0) throw notFound("Conversation");
  return { id: input.id };
};
