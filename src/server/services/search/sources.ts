import "server-only";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";

/*
 * One bounded, tenant-scoped query per searchable object type. Each filters on
 * "tenantId" in its own WHERE (never afterwards) and matches through the GIN
 * expression index of migration 20261206234806_workspace_search, so the
 * expression here must stay exactly `to_tsvector('simple'::regconfig, <column>)`.
 * Newest first, at most `limit` rows: the palette shows a few per group.
 */

export type SourceArgs = { tenantId: string; tsquery: string; limit: number };
type Row = { id: string; title: string; text: string | null; parentId: string | null };

const matches = (column: Prisma.Sql, tsquery: string) => Prisma.sql`to_tsvector('simple'::regconfig, ${column}) @@ to_tsquery('simple'::regconfig, ${tsquery})`;

/** The caller's own conversations only: they are private, admins included. */
export const searchConversations = ({ tenantId, tsquery, limit }: SourceArgs, userId: string) =>
  db.$queryRaw<Row[]>`
    SELECT c.id, c.title, NULL::text AS text, NULL::text AS "parentId"
    FROM "Conversation" c
    WHERE c."tenantId" = ${tenantId} AND c."userId" = ${userId} AND ${matches(Prisma.sql`c."title"`, tsquery)}
    ORDER BY c."lastMessageAt" DESC
    LIMIT ${limit}`;

export const searchMeetings = ({ tenantId, tsquery, limit }: SourceArgs) =>
  db.$queryRaw<Row[]>`
    SELECT m.id, m.title, NULL::text AS text, NULL::text AS "parentId"
    FROM "Meeting" m
    WHERE m."tenantId" = ${tenantId} AND ${matches(Prisma.sql`m."title"`, tsquery)}
    ORDER BY m."createdAt" DESC
    LIMIT ${limit}`;

/** A decision opens its meeting: the title is the meeting's, the text the decision. */
export const searchDecisions = ({ tenantId, tsquery, limit }: SourceArgs) =>
  db.$queryRaw<Row[]>`
    SELECT o.id, m.title, o.decision AS text, o."meetingId" AS "parentId"
    FROM "MeetingOutcome" o
    JOIN "Meeting" m ON m.id = o."meetingId" AND m."tenantId" = ${tenantId}
    WHERE o."tenantId" = ${tenantId} AND ${matches(Prisma.sql`o."decision"`, tsquery)}
    ORDER BY o."createdAt" DESC
    LIMIT ${limit}`;

/** An action item opens its task when one was made from it, else its meeting. */
export const searchActionItems = ({ tenantId, tsquery, limit }: SourceArgs) =>
  db.$queryRaw<(Row & { taskId: string | null })[]>`
    SELECT a.id, m.title, a.description AS text, a."meetingId" AS "parentId", a."taskId"
    FROM "ActionItem" a
    JOIN "Meeting" m ON m.id = a."meetingId" AND m."tenantId" = ${tenantId}
    WHERE a."tenantId" = ${tenantId} AND ${matches(Prisma.sql`a."description"`, tsquery)}
    ORDER BY a."createdAt" DESC
    LIMIT ${limit}`;

export const searchTasks = ({ tenantId, tsquery, limit }: SourceArgs) =>
  db.$queryRaw<Row[]>`
    SELECT t.id, t.title, NULL::text AS text, NULL::text AS "parentId"
    FROM "Task" t
    WHERE t."tenantId" = ${tenantId} AND ${matches(Prisma.sql`t."title"`, tsquery)}
    ORDER BY t."createdAt" DESC
    LIMIT ${limit}`;

export const searchDocuments = ({ tenantId, tsquery, limit }: SourceArgs) =>
  db.$queryRaw<Row[]>`
    SELECT d.id, d.title, d.filename AS text, NULL::text AS "parentId"
    FROM "Document" d
    WHERE d."tenantId" = ${tenantId} AND ${matches(Prisma.sql`d."title"`, tsquery)}
    ORDER BY d."createdAt" DESC
    LIMIT ${limit}`;

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
