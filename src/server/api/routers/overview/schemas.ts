import { z } from "zod";
import { ZTokenBudgetStatus } from "../usage/schemas";

const bounded = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), more: z.boolean() });

export const ZWorkspaceOverview = z.object({
  tasksForReview: bounded(z.object({ id: z.string(), title: z.string(), personaName: z.string(), revision: z.number().int(), finishedAt: z.date().nullable() })),
  activeMeetings: bounded(z.object({ id: z.string(), title: z.string(), status: z.string(), createdAt: z.date(), startedAt: z.date().nullable() })),
  recentMeetings: z.array(z.object({ id: z.string(), title: z.string(), finishedAt: z.date().nullable(), decisions: z.array(z.string()) })),
  actionItems: bounded(
    z.object({ id: z.string(), description: z.string(), ownerName: z.string(), dueDate: z.date().nullable(), meetingId: z.string(), meetingTitle: z.string() }),
  ),
  conversations: bounded(z.object({ id: z.string(), title: z.string(), personaName: z.string(), lastMessageAt: z.date() })),
  usage: ZTokenBudgetStatus,
  canWrite: z.boolean(),
});
