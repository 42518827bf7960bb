import { z } from "zod";
import { SUPPORT_SESSION_STATUSES, ZOpenSupportSessionInput } from "~/server/services/support/sessions";

export { ZOpenSupportSessionInput };

const ZId = z.string().trim().min(1).max(64);

export const ZSupportSessionId = z.object({ id: ZId });
export const ZSupportListInput = z.object({ status: z.enum(SUPPORT_SESSION_STATUSES).optional(), take: z.number().int().min(1).max(200).default(50) });
/** Every support read names the tenant; the service finds the caller's live session for it. */
export const ZSupportTenantInput = z.object({ tenantId: ZId });
export const ZSupportConversationInput = ZSupportTenantInput.extend({ conversationId: ZId });

export const ZSupportSession = z.strictObject({
  id: z.string(),
  tenantId: z.string(),
  tenantSlug: z.string(),
  tenantName: z.string(),
  adminId: z.string(),
  reason: z.string(),
  startedAt: z.date(),
  expiresAt: z.date(),
  endedAt: z.date().nullable(),
  status: z.enum(SUPPORT_SESSION_STATUSES),
});
export const ZSupportListOutput = z.object({ now: z.date(), items: z.array(ZSupportSession) });
export const ZSupportGetOutput = ZSupportSession.extend({ now: z.date() });

export const ZSupportConversations = z.array(
  z.strictObject({
    id: z.string(),
    title: z.string(),
    personaKey: z.string(),
    authorEmail: z.string().nullable(),
    messageCount: z.number().int(),
    lastMessageAt: z.date(),
    createdAt: z.date(),
  }),
);
export const ZSupportConversation = z.strictObject({
  id: z.string(),
  title: z.string(),
  personaKey: z.string(),
  authorEmail: z.string().nullable(),
  createdAt: z.date(),
  messages: z.array(z.strictObject({ id: z.string(), role: z.string(), content: z.string(), status: z.string(), createdAt: z.date() })),
});
export const ZSupportDocuments = z.array(
  z.strictObject({ id: z.string(), title: z.string(), filename: z.string(), kind: z.string(), sizeBytes: z.number().int(), status: z.string(), createdAt: z.date() }),
);
export const ZSupportMeetings = z.array(z.strictObject({ id: z.string(), title: z.string(), goal: z.string(), status: z.string(), createdAt: z.date() }));
export const ZSupportTasks = z.array(z.strictObject({ id: z.string(), title: z.string(), personaKey: z.string(), status: z.string(), createdAt: z.date() }));

export const ZNoticeId = z.object({ id: ZId });
export const ZSupportNotices = z.array(z.strictObject({ id: z.string(), createdAt: z.date(), sessionId: z.string(), reason: z.string(), expiresAt: z.date() }));
export const ZDismissNoticeOutput = z.object({ id: z.string() });
