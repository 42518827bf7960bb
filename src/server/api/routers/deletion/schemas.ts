import { z } from "zod";

/** What the owner typed to confirm (the workspace's slug or name; for an account, the e-mail address). */
const ZConfirmation = z.string().trim().min(1).max(320);

export const ZWorkspaceDeletionStatus = z.object({
  status: z.enum(["ACTIVE", "SUSPENDED", "PENDING_DELETION", "DELETED"]),
  requestedAt: z.date().nullable(),
  requestedBy: z.string().nullable(),
  scheduledFor: z.date().nullable(),
  graceDays: z.number().int().nonnegative(),
  confirmation: z.string(),
  canManage: z.boolean(),
});

export const ZRequestWorkspaceDeletionInput = z.object({ confirmation: ZConfirmation });

export const ZDeleteAccountInput = z.object({ confirmation: ZConfirmation });
export const ZDeleteAccountOutput = z.object({ deleted: z.literal(true) });
