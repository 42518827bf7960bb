import "server-only";
import { z } from "zod";
import { hasRole } from "~/lib/roles";
import { MAX_SEARCH_QUERY, type TSearchKind, type TSearchTarget } from "~/lib/search";
import { withSpan } from "~/server/infra/tracing";
import type { TenantCtx } from "../context";
import { retrievePassages } from "../knowledge/retrieval";
import { applyOverride } from "../personas/resolve";
import { PERSONA_KEYS } from "../personas/templates";
import { prefixTsquery } from "~/server/db/search-index";
import { contentKeysFor } from "~/server/db/keys/content-keys";
import { excerptAround, matchesAllWords, searchWords } from "./search-terms";
import {
  personaOverrides,
  searchActionItems,
  searchConversations,
  searchDecisions,
  searchDocuments,
  searchMeetings,
  searchMembers,
  searchTasks,
  type SourceArgs,
} from "./sources";

/*
 * The command palette's search over one workspace: conversations (the caller's
 * own only), meetings, decisions, action items, tasks, documents by title and by
 * passage, personas and members. Every source is a bounded query of its own
 * (sources.ts), run concurrently; passages reuse knowledge retrieval's full-text
 * path (retrievePassages, FTS only: the palette does not wait for embeddings).
 *
 * What a role may see follows the procedures that show the same objects:
 * conversations and personas (chat) are for members and up (chat.* is MEMBER);
 * everything else is readable by viewers (meeting.get, task.list,
 * knowledge.list, member.list are VIEWER).
 */

export const ZSearchInput = z.object({ query: z.string().max(MAX_SEARCH_QUERY) });
export type SearchInput = z.input<typeof ZSearchInput>;

export type SearchHit = {
  kind: TSearchKind;
  id: string;
  title: string;
  /** The matching text when it is not the title (a decision, an action item, a passage, an email). */
  excerpt: string | null;
  target: { type: TSearchTarget; id: string };
  /** A passage, to open in place. */
  passage: { text: string; page: number | null; heading: string | null } | null;
};

const PER_KIND = 5;
const PASSAGES = 3;
/** Passages ranked per search (retrieval's maxRanked): 300 ranks in ~5 ms where 3,000 took ~45 ms at 15,000 passages. */
const PASSAGES_RANKED = 300;

const hit = (kind: TSearchKind, id: string, title: string, target: SearchHit["target"], excerpt: string | null = null): SearchHit => ({ kind, id, title, excerpt, target, passage: null });

const personaHits = async (ctx: TenantCtx, words: readonly string[]): Promise<SearchHit[]> => {
  const overrides = new Map((await personaOverrides(ctx.tenantId)).map((o) => [o.key, o]));
  return PERSONA_KEYS.flatMap((key) => {
    const o = overrides.get(key) ?? null;
    if (o && !o.enabled) return [];
    const { name } = applyOverride(key, o);
    return matchesAllWords(`${name} ${key}`, words) ? [hit("persona", key, name, { type: "persona", id: key })] : [];
  });
};

const passageHits = async (ctx: TenantCtx, query: string, words: readonly string[]): Promise<SearchHit[]> =>
  (await retrievePassages({ tenantId: ctx.tenantId }, query, { limit: PASSAGES, mode: "fts", maxRanked: PASSAGES_RANKED })).map((p) => ({
    ...hit("passage", p.chunkId, p.documentTitle, { type: "document", id: p.documentId }, excerptAround(p.text, words)),
    passage: { text: p.text, page: p.page, heading: p.heading },
  }));

/** Grouped hits in SEARCH_KINDS order; an empty or punctuation-only query finds nothing. */
export const searchWorkspace = async (ctx: TenantCtx, raw: SearchInput): Promise<{ hits: SearchHit[] }> => {
  const { query } = ZSearchInput.parse(raw);
  const words = searchWords(query);
  if (words.length === 0) return { hits: [] };
  // Sealed titles are matched on their blind word-prefix tokens (db/search-index.ts).
  const tsquery = prefixTsquery(await contentKeysFor(ctx.tenantId), words)!;
  const canChat = hasRole(ctx.role, "MEMBER");
  const args: SourceArgs = { tenantId: ctx.tenantId, tsquery, limit: PER_KIND };
  return withSpan("search.workspace", { "ocsuite.tenant.id": ctx.tenantId, "search.words": words.length }, async (span) => {
    const none = Promise.resolve([] as SearchHit[]);
    const groups = await Promise.all([
      canChat ? searchConversations(args, ctx.userId).then((rows) => rows.map((r) => hit("conversation", r.id, r.title, { type: "conversation", id: r.id }))) : none,
      searchMeetings(args).then((rows) => rows.map((r) => hit("meeting", r.id, r.title, { type: "meeting", id: r.id }))),
      searchDecisions(args).then((rows) => rows.map((r) => hit("decision", r.id, r.title, { type: "meeting", id: r.parentId! }, excerptAround(r.text ?? "", words)))),
      searchActionItems(args).then((rows) =>
        rows.map((r) => hit("actionItem", r.id, excerptAround(r.text ?? "", words, 120), r.taskId ? { type: "task", id: r.taskId } : { type: "meeting", id: r.parentId! }, r.title)),
      ),
      searchTasks(args).then((rows) => rows.map((r) => hit("task", r.id, r.title, { type: "task", id: r.id }))),
      searchDocuments(args).then((rows) => rows.map((r) => hit("document", r.id, r.title, { type: "document", id: r.id }, r.text))),
      passageHits(ctx, query, words),
      canChat ? personaHits(ctx, words) : none,
      searchMembers(args, words).then((rows) => rows.map((r) => hit("member", r.id, r.name ?? r.email, { type: "members", id: r.id }, r.name ? r.email : null))),
    ]);
    const hits = groups.flat();
    span.setAttribute("search.result_count", hits.length);
    return { hits };
  });
};
