import { z } from "zod";
import { DECISIONS, ZInvitationDetail, ZMemberDetail, ZProviderKeyDetail } from "~/server/services/access-reviews/items";
import { INTERVAL_DAYS } from "~/server/services/access-reviews/schedule";

const ZId = z.string().min(1).max(64);
const ZDecision = z.enum(DECISIONS);

export const ZReviewIdInput = z.object({ reviewId: ZId });
export const ZDecideInput = z.object({ reviewId: ZId, itemId: ZId, decision: ZDecision });
export const ZSetIntervalInput = z.object({ days: z.number().int().min(INTERVAL_DAYS.min).max(INTERVAL_DAYS.max) });

export const ZStatusOutput = z.object({
  intervalDays: z.number().int(),
  lastCompletedAt: z.date().nullable(),
  nextDueAt: z.date(),
  overdue: z.boolean(),
  openReview: z.object({ id: z.string(), openedAt: z.date(), total: z.number().int(), decided: z.number().int() }).nullable(),
  canManage: z.boolean(),
});

const ZCounts = z.object({ total: z.number().int(), kept: z.number().int(), revoked: z.number().int(), undecided: z.number().int() });
const ZSummary = z.object({
  id: z.string(),
  status: z.enum(["open", "completed"]),
  dueAt: z.date(),
  openedAt: z.date(),
  openedBy: z.string().nullable(),
  completedAt: z.date().nullable(),
  completedBy: z.string().nullable(),
  counts: ZCounts,
});
export const ZListOutput = z.array(ZSummary);

const ZItemBase = z.object({
  id: z.string(),
  subjectId: z.string(),
  label: z.string(),
  decision: ZDecision.nullable(),
  decidedAt: z.date().nullable(),
  decidedBy: z.string().nullable(),
  isSelf: z.boolean(),
});
const ZItem = z.discriminatedUnion("kind", [
  ZItemBase.extend({ kind: z.literal("member"), detail: ZMemberDetail }),
  ZItemBase.extend({ kind: z.literal("invitation"), detail: ZInvitationDetail }),
  ZItemBase.extend({ kind: z.literal("provider-key"), detail: ZProviderKeyDetail }),
]);
export const ZReviewOutput = ZSummary.extend({ items: z.array(ZItem) });

export const ZOpenOutput = z.object({ id: z.string(), created: z.boolean() });
export const ZDecideOutput = z.object({ id: z.string(), decision: ZDecision, decidedAt: z.date(), alreadyGone: z.boolean() });
export const ZCompleteOutput = z.object({ id: z.string(), completedAt: z.date(), nextDueAt: z.date() });
export const ZSetIntervalOutput = z.object({ intervalDays: z.number().int(), nextDueAt: z.date() });
