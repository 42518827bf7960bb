import "server-only";
import { z } from "zod";
import { hasRole, ROLES } from "~/lib/roles";
import { db } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { AppError, forbidden } from "~/server/errors";
import type { TenantCtx } from "../context";

/*
 * The lines of an access review: what a review snapshots (every member, every
 * pending invitation, every provider credential), how a line's detail is
 * stored (JSON, dates as ISO strings, never a secret: a credential is its
 * label, provider and last four characters), and the DTO the router returns.
 */

type TItemKind = "member" | "invitation" | "provider-key";
export const DECISIONS = ["keep", "revoke"] as const;
export type TDecision = (typeof DECISIONS)[number];

const ZStoredDate = z.coerce.date();
const ZRoleValue = z.enum(ROLES);

/** A member: the role, when they joined and when they last used the workspace. */
export const ZMemberDetail = z.object({ userId: z.string(), name: z.string().nullable(), role: ZRoleValue, joinedAt: ZStoredDate, lastActiveAt: ZStoredDate.nullable() });
/** A pending invitation: the role it grants, who sent it, when it expires. */
export const ZInvitationDetail = z.object({ role: ZRoleValue, invitedById: z.string(), invitedBy: z.string().nullable(), createdAt: ZStoredDate, expiresAt: ZStoredDate });
/** A provider credential (BYOK key), masked: never the key. */
export const ZProviderKeyDetail = z.object({
  provider: z.string(),
  last4: z.string(),
  createdById: z.string(),
  createdBy: z.string().nullable(),
  createdAt: ZStoredDate,
  lastUsedAt: ZStoredDate.nullable(),
});

type SnapshotLine = { kind: TItemKind; subjectId: string; label: string; detail: Prisma.InputJsonObject };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** email by user id, for ids that may point at deleted users (→ absent). */
export const emailsOf = async (ids: Iterable<string | null | undefined>): Promise<Map<string, string>> => {
  const unique = [...new Set([...ids].filter((id): id is string => typeof id === "string"))];
  if (unique.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u.email]));
};

/** Every member, pending invitation and provider credential of the tenant, as review lines, in that order. */
export const snapshotLines = async (tenantId: string, now = new Date()): Promise<SnapshotLine[]> => {
  const [members, invitations, keys] = await Promise.all([
    db.membership.findMany({
      where: { tenantId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, role: true, createdAt: true, lastActiveAt: true, user: { select: { id: true, email: true, name: true } } },
    }),
    db.invitation.findMany({
      where: { tenantId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, invitedBy: { select: { id: true, email: true } } },
    }),
    db.providerCredential.findMany({
      where: { tenantId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, provider: true, label: true, last4: true, createdById: true, createdAt: true, lastUsedAt: true },
    }),
  ]);
  const creators = await emailsOf(keys.map((k) => k.createdById));
  return [
    ...members.map((m) => ({
      kind: "member" as const,
      subjectId: m.id,
      label: m.user.email,
      detail: { userId: m.user.id, name: m.user.name, role: m.role, joinedAt: m.createdAt.toISOString(), lastActiveAt: iso(m.lastActiveAt) },
    })),
    ...invitations.map((i) => ({
      kind: "invitation" as const,
      subjectId: i.id,
      // A shareable link invitation has no address: the UI says "anyone with the link".
      label: i.email,
      detail: { role: i.role, invitedById: i.invitedBy.id, invitedBy: i.invitedBy.email, createdAt: i.createdAt.toISOString(), expiresAt: i.expiresAt.toISOString() },
    })),
    ...keys.map((k) => ({
      kind: "provider-key" as const,
      subjectId: k.id,
      label: k.label,
      detail: {
        provider: k.provider,
        last4: k.last4,
        createdById: k.createdById,
        createdBy: creators.get(k.createdById) ?? null,
        createdAt: k.createdAt.toISOString(),
        lastUsedAt: iso(k.lastUsedAt),
      },
    })),
  ];
};

type ItemRow = { id: string; kind: string; subjectId: string; label: string; detail: Prisma.JsonValue; decision: string | null; decidedById: string | null; decidedAt: Date | null };

type ItemBase = { id: string; subjectId: string; label: string; decision: TDecision | null; decidedAt: Date | null; decidedBy: string | null; isSelf: boolean };
export type AccessReviewItem =
  | (ItemBase & { kind: "member"; detail: z.infer<typeof ZMemberDetail> })
  | (ItemBase & { kind: "invitation"; detail: z.infer<typeof ZInvitationDetail> })
  | (ItemBase & { kind: "provider-key"; detail: z.infer<typeof ZProviderKeyDetail> });

export const ITEM_SELECT = { id: true, kind: true, subjectId: true, label: true, detail: true, decision: true, decidedById: true, decidedAt: true } as const;

const decisionOf = (d: string | null): TDecision | null => (d === "keep" || d === "revoke" ? d : null);

/** A stored line as the API shows it; `isSelf` marks the caller's own membership (an owner cannot revoke themself). */
export const toItem = (row: ItemRow, ctx: Pick<TenantCtx, "userId">, emails: Map<string, string>): AccessReviewItem => {
  const base: ItemBase = {
    id: row.id,
    subjectId: row.subjectId,
    label: row.label,
    decision: decisionOf(row.decision),
    decidedAt: row.decidedAt,
    decidedBy: row.decidedById ? (emails.get(row.decidedById) ?? null) : null,
    isSelf: false,
  };
  if (row.kind === "member") {
    const detail = ZMemberDetail.parse(row.detail);
    return { ...base, kind: "member", detail, isSelf: detail.userId === ctx.userId };
  }
  if (row.kind === "invitation") return { ...base, kind: "invitation", detail: ZInvitationDetail.parse(row.detail) };
  return { ...base, kind: "provider-key", detail: ZProviderKeyDetail.parse(row.detail) };
};

const KIND_ORDER: Record<string, number> = { member: 0, invitation: 1, "provider-key": 2 };
const sortKey = (i: AccessReviewItem) => ("joinedAt" in i.detail ? i.detail.joinedAt : i.detail.createdAt).getTime();
/** Members, then invitations, then provider keys; each in the order they were created. */
export const byKindThenAge = (a: AccessReviewItem, b: AccessReviewItem) => KIND_ORDER[a.kind]! - KIND_ORDER[b.kind]! || sortKey(a) - sortKey(b) || a.id.localeCompare(b.id);

/** Opening, deciding, completing and scheduling reviews are the owners'; reading is for owners and admins. */
export const requireOwner = (ctx: TenantCtx) => {
  if (ctx.role !== "OWNER") throw forbidden("roleTooLow", "Only owners can run access reviews");
};
export const requireAdmin = (ctx: TenantCtx) => {
  if (!hasRole(ctx.role, "ADMIN")) throw forbidden("roleTooLow", "Only owners and admins can see access reviews");
};

export const reviewNotOpen = () => new AppError("PRECONDITION_FAILED", "reviewNotOpen", "This access review is already completed");
