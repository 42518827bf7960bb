import "server-only";
import { db } from "~/server/db/client";
import { AppError, notFound } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";
import { deleteCredential } from "../providers/credentials";
import { revokeInvitation } from "../tenancy/invitations";
import { removeMember } from "../tenancy/members";
import { reviewNotOpen, requireOwner, ZMemberDetail, type TDecision } from "./items";

/*
 * Deciding one line of an open review. "keep" only records the decision (and
 * may later be changed to "revoke"); "revoke" first carries out the revocation
 * through the owning service (members: removeMember, with its last-owner rule
 * and its own audit event; invitations: revokeInvitation; provider keys:
 * deleteCredential), then records it, and cannot be undone.
 */

type ItemToRevoke = { kind: string; subjectId: string; detail: unknown };

/**
 * Revokes what the line stands for. Resolves `true` when it was already gone
 * (the member left, the key was deleted since the snapshot): access has ended
 * either way, so the decision stands.
 */
const revokeSubject = async (ctx: TenantCtx, item: ItemToRevoke): Promise<boolean> => {
  if (item.kind === "member" && ZMemberDetail.parse(item.detail).userId === ctx.userId) {
    throw new AppError("BAD_REQUEST", "cannotRevokeSelf", "You cannot revoke your own access in a review; another owner can, or leave the workspace");
  }
  try {
    if (item.kind === "member") await removeMember(ctx, { membershipId: item.subjectId });
    else if (item.kind === "invitation") await revokeInvitation(ctx, { invitationId: item.subjectId });
    else await deleteCredential(ctx, { id: item.subjectId });
    return false;
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") return true;
    throw err;
  }
};

export const decideAccessReviewItem = async (ctx: TenantCtx, input: { reviewId: string; itemId: string; decision: TDecision }) => {
  requireOwner(ctx);
  const item = await db.accessReviewItem.findFirst({
    where: { id: input.itemId, reviewId: input.reviewId, tenantId: ctx.tenantId },
    select: { id: true, kind: true, subjectId: true, detail: true, decision: true, decidedAt: true, review: { select: { status: true } } },
  });
  if (!item) throw notFound("Access review line");
  if (item.review.status !== "open") throw reviewNotOpen();
  if (item.decision === "revoke") throw new AppError("PRECONDITION_FAILED", "alreadyRevoked", "This line was already revoked");
  if (item.decision === input.decision) return { id: item.id, decision: input.decision, decidedAt: item.decidedAt ?? new Date(), alreadyGone: false };

  const alreadyGone = input.decision === "revoke" ? await revokeSubject(ctx, item) : false;
  const decidedAt = new Date();
  // Never overwrite a revoke (another owner may have revoked the same line meanwhile). A revocation
  // that was carried out is recorded even if the review was completed meanwhile: the line says what happened.
  const { count } = await db.accessReviewItem.updateMany({
    where: {
      id: item.id,
      tenantId: ctx.tenantId,
      OR: [{ decision: null }, { decision: "keep" }],
      ...(input.decision === "keep" ? { review: { status: "open" } } : {}),
    },
    data: { decision: input.decision, decidedById: ctx.userId, decidedAt },
  });
  if (count === 0 && input.decision === "keep") throw new AppError("CONFLICT", "reviewChanged", "This line or its review changed meanwhile; reload and try again");
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "access_review.item_decided",
    targetType: "access_review_item",
    targetId: item.id,
    metadata: { reviewId: input.reviewId, kind: item.kind, subjectId: item.subjectId, decision: input.decision, previous: item.decision, alreadyGone },
    meta: ctx.meta,
  });
  return { id: item.id, decision: input.decision, decidedAt, alreadyGone };
};
