import { z } from "zod";
import { LOCALES } from "~/lib/locales";
import { ZEmail } from "../account/schemas";
import { ZRole } from "../tenant/schemas";

const ZInvitationStatus = z.enum(["PENDING", "ACCEPTED", "REVOKED", "EXPIRED"]);
export const ZInvitationToken = z.string().min(20).max(100).regex(/^[A-Za-z0-9_-]+$/);

export const ZListInvitationsOutput = z.array(
  z.object({ id: z.string(), email: z.string().nullable(), role: ZRole, createdAt: z.date(), expiresAt: z.date(), invitedBy: z.string(), status: ZInvitationStatus }),
);
// locale: the inviter's UI language, used for the mail unless the invitee's account has its own preference.
export const ZCreateInvitationInput = z.object({ email: ZEmail.optional(), role: ZRole, locale: z.enum(LOCALES).optional() });
export const ZCreateInvitationOutput = z.object({ id: z.string(), link: z.string(), expiresAt: z.date() });
export const ZRevokeInvitationInput = z.object({ invitationId: z.string().min(1).max(64) });
export const ZRevokeInvitationOutput = z.object({ id: z.string() });
export const ZTokenInput = z.object({ token: ZInvitationToken });
export const ZPreviewOutput = z.object({ tenantName: z.string(), role: ZRole, status: ZInvitationStatus, emailBound: z.boolean() });
export const ZAcceptOutput = z.object({ tenantSlug: z.string(), role: ZRole });
