import "server-only";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { openSealedColumns } from "~/server/db/keys/content-keys";

/*
 * One bounded, tenant-scoped query per searchable object type. Each filters on
 * "tenantId" in its own WHERE (never afterwards) and matches through the GIN
 * index of the table's "searchTsv" (migration 20261207171106_prefix_blind_indexes):
 * titles, decisions and action items are sealed at rest (ADR 0015), so what is
 * matched is their blind word-prefix tokens, and `tsquery` is the caller's words
 * blinded with the workspace's key (db/search-index.ts prefixTsquery). The rows'
 * sealed columns are opened before they are returned.
 * Newest first, at most `limit` rows: the palette shows a few per group.
 */

export type SourceArgs = { tenantId: string; tsquery: string; limit: number };
type Row = { id: string; title: string; text: string | null; parentId: string | null };

const matches = (table: Prisma.Sql, tsquery: string) => Prisma.sql`${table}."searchTsv" @@ ${tsquery}::tsquery`;

/**
 * How many of a table's newest rows the first step reads. Left to itself the planner
 * walks the (tenantId, createdAt) index newest first and tests each row's text,
 * which is instant for a common word and a scan of the whole workspace (computing
 * to_tsvector per row) for a word that is nowhere: 118 ms for a miss over 15,000
 * action items, measured with perf/search.mjs (docs/performance.md). The GIN index
 * path is the opposite: instant for a miss, a sort of every match for a common
 * word (14 ms over 14,000 decisions). So: step 1 tests only the newest
 * RECENT_WINDOW rows (≤ ~5 ms); when they hold fewer than `limit` matches, the
 * word is rare, and step 2 takes the GIN path (its ORDER BY is an expression so
 * that the planner cannot turn it back into the index walk). One statement: step
 * 2 does not run at all when step 1 filled the page.
 */
const RECENT_WINDOW = 500;

type Source = {
  /** The table, aliased x everywhere below. */
  table: string;
  /** The rows the caller may see, on x (the tenant, and for conversations the user). */
  scope: Prisma.Sql;
  /** The recency column, with an index on (scope columns…, column). */
  newest: string;
  /** The sealed columns selected, by alias: the "Model.field" each was read from. */
  sealed: Readonly<Record<string, string>>;
  /** The row's fields, on x and the joined tables. */
  select: Prisma.Sql;
  join?: Prisma.Sql;
};

const newestMatching = async <R extends Record<string, unknown>>({ table, scope, newest, sealed, select, join = Prisma.empty }: Source, tsquery: string, limit: number) => {
  const from = Prisma.raw(`"${table}"`);
  const order = Prisma.raw(`x."${newest}"`);
  const match = matches(Prisma.raw("x"), tsquery);
  const rows = await db.$queryRaw<R[]>`
    WITH recent AS (
      SELECT ${select}, ${order} AS "sortKey"
      FROM (SELECT * FROM ${from} x WHERE ${scope} ORDER BY ${order} DESC LIMIT ${RECENT_WINDOW}) x ${join}
      WHERE ${match}
      ORDER BY ${order} DESC
      LIMIT ${limit}
    )
    SELECT * FROM (
      SELECT * FROM recent WHERE (SELECT count(*) FROM recent) >= ${limit}
      UNION ALL
      (SELECT ${select}, ${order} AS "sortKey"
       FROM ${from} x ${join}
       WHERE ${scope} AND ${match} AND (SELECT count(*) FROM recent) < ${limit}
       ORDER BY ${order} + interval '0' DESC
       LIMIT ${limit})
    ) hits
    ORDER BY "sortKey" DESC`;
  return openSealedColumns(rows, sealed);
};

const titleOnly = Prisma.sql`x.id, x.title, NULL::text AS text, NULL::text AS "parentId"`;

/** The caller's own conversations only: they are private, admins included. */
export const searchConversations = ({ tenantId, tsquery, limit }: SourceArgs, userId: string) =>
  newestMatching<Row>(
    { table: "Conversation", scope: Prisma.sql`x."tenantId" = ${tenantId} AND x."userId" = ${userId}`, newest: "lastMessageAt", sealed: { title: "Conversation.title" }, select: titleOnly },
    tsquery,
    limit,
  );

export const searchMeetings = ({ tenantId, tsquery, limit }: SourceArgs) =>
  newestMatching<Row>({ table: "Meeting", scope: Prisma.sql`x."tenantId" = ${tenantId}`, newest: "createdAt", sealed: { title: "Meeting.title" }, select: titleOnly }, tsquery, limit);

/** A decision opens its meeting: the title is the meeting's, the text the decision. */
export const searchDecisions = ({ tenantId, tsquery, limit }: SourceArgs) =>
  newestMatching<Row>(
    {
      table: "MeetingOutcome",
      scope: Prisma.sql`x."tenantId" = ${tenantId}`,
      newest: "createdAt",
      sealed: { title: "Meeting.title", text: "MeetingOutcome.decision" },
      select: Prisma.sql`x.id, m.title, x.decision AS text, x."meetingId" AS "parentId"`,
      join: Prisma.sql`JOIN "Meeting" m ON m.id = x."meetingId" AND m."tenantId" = ${tenantId}`,
    },
    tsquery,
    limit,
  );

/** An action item opens its task when one was made from it, else its meeting. */
export const searchActionItems = ({ tenantId, tsquery, limit }: SourceArgs) =>
  newestMatching<Row & { taskId: string | null }>(
    {
      table: "ActionItem",
      scope: Prisma.sql`x."tenantId" = ${tenantId}`,
      newest: "createdAt",
      sealed: { title: "Meeting.title", text: "ActionItem.description" },
      select: Prisma.sql`x.id, m.title, x.description AS text, x."meetingId" AS "parentId", x."taskId"`,
      join: Prisma.sql`JOIN "Meeting" m ON m.id = x."meetingId" AND m."tenantId" = ${tenantId}`,
    },
    tsquery,
    limit,
  );

export const searchTasks = ({ tenantId, tsquery, limit }: SourceArgs) =>
  newestMatching<Row>({ table: "Task", scope: Prisma.sql`x."tenantId" = ${tenantId}`, newest: "createdAt", sealed: { title: "Task.title" }, select: titleOnly }, tsquery, limit);

export const searchDocuments = ({ tenantId, tsquery, limit }: SourceArgs) =>
  newestMatching<Row>(
    {
      table: "Document",
      scope: Prisma.sql`x."tenantId" = ${tenantId}`,
      newest: "createdAt",
      sealed: { title: "Document.title", text: "Document.filename" },
      select: Prisma.sql`x.id, x.title, x.filename AS text, NULL::text AS "parentId"`,
    },
    tsquery,
    limit,
  );

/**
 * Members whose name or email has a word starting with every query word. A
 * workspace's members are few (the Membership(tenantId, createdAt) index bounds
 * the scan), so a regular expression per word is cheap; words are letters and
 * digits only, so they carry no regex syntax.
 */
export const searchMembers = ({ tenantId, limit }: Omit<SourceArgs, "tsquery">, words: readonly string[]) => {
  const text = Prisma.sql`lower(coalesce(u.name, '') || ' ' || u.email)`;
  const conditions = words.map((w) => Prisma.sql`${text} ~ ${`(^|[^[:alnum:]])${w}`}`);
  return db.$queryRaw<{ id: string; name: string | null; email: string }[]>`
    SELECT u.id, u.name, u.email
    FROM "Membership" ms
    JOIN "User" u ON u.id = ms."userId"
    WHERE ms."tenantId" = ${tenantId} AND ${Prisma.join(conditions, " AND ")}
    ORDER BY ms."createdAt"
    LIMIT ${limit}`;
};

/** The workspace's persona overrides (name, enabled): at most one row per built-in persona. */
export const personaOverrides = (tenantId: string) =>
  db.tenantPersona.findMany({ where: { tenantId }, select: { key: true, name: true, instructions: true, enabled: true } });
