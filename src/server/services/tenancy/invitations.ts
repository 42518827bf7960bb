import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { emailLocale, emailTranslator } from "~/i18n/email-translator";
import type { TRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { AppError, forbidden, notFound } from "~/server/errors";
import { sendMail } from "~/server/infra/mail";
import { recordAudit } from "../audit/audit";
import type { TenantCtx, UserCtx } from "../context";

export const INVITATION_TTL_DAYS = 7;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
export type InvitationStatus = "PENDING" | "ACCEPTED" | "REVOKED" | "EXPIRED";
const statusOf = (i: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }): InvitationStatus =>
  i.acceptedAt ? "ACCEPTED" : i.revokedAt ? "REVOKED" : i.expiresAt <= new Date() ? "EXPIRED" : "PENDING";

export const listInvitations = async (ctx: TenantCtx) => {
  const rows = await db.invitation.findMany({
    where: { tenantId: ctx.tenantId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, acceptedAt: true, revokedAt: true, invitedBy: { select: { email: true } } },
  });
  return rows.map((i) => ({
    id: i.id,
    email: i.email || null,
    role: i.role,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    invitedBy: i.invitedBy.email,
    status: statusOf(i),
  }));
};

/**
 * Creates an invitation. With an email the link is mailed and only that
 * address can accept; without one it is a single-use shareable link. The token
 * is returned once (for the admin to copy) and stored only as a hash.
 * Admins may invite up to ADMIN; inviting an OWNER takes an owner.
 */
export const createInvitation = async (ctx: TenantCtx, input: { email?: string; role: TRole; appUrl: string; locale?: string }) => {
  if (input.role === "OWNER" && ctx.role !== "OWNER") throw forbidden("roleTooLow", "Only owners can invite owners");
  const email = input.email?.toLowerCase() ?? "";
  if (email) {
    const already = await db.membership.findFirst({ where: { tenantId: ctx.tenantId, user: { email } }, select: { id: true } });
    if (already) throw new AppError("CONFLICT", "alreadyMember", "That person is already a member");
  }
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
  const invitation = await db.invitation.create({
    data: { tenantId: ctx.tenantId, email, role: input.role, tokenHash: hashToken(token), invitedById: ctx.userId, expiresAt },
    select: { id: true, tenant: { select: { name: true } } },
  });
  const link = `${input.appUrl.replace(/\/$/, "")}/invite/${token}`;
  if (email) {
    // The invitee's own language when they already have an account with a
    // stored preference; otherwise the inviter's current UI locale.
    const invitee = await db.user.findUnique({ where: { email }, select: { locale: true } });
    const t = emailTranslator(emailLocale(invitee?.locale, input.locale));
    const workspace = invitation.tenant.name;
    await sendMail({
      to: email,
      subject: t("emails.invitation.subject", { workspace }),
      text: t("emails.invitation.body", { workspace, role: t(`roles.${input.role}`), link, days: INVITATION_TTL_DAYS }),
    });
  }
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "invitation.created",
    targetType: "invitation",
    targetId: invitation.id,
    metadata: { email: email || null, role: input.role, kind: email ? "email" : "link" },
    meta: ctx.meta,
  });
  return { id: invitation.id, link, expiresAt };
};

export const revokeInvitation = async (ctx: TenantCtx, input: { invitationId: string }) => {
  const inv = await db.invitation.findFirst({ where: { id: input.invitationId, tenantId: ctx.tenantId }, select: { id: true, acceptedAt: true, revokedAt: true } });
  if (!inv) throw notFound("Invitation");
  if (inv.acceptedAt) throw new AppError("PRECONDITION_FAILED", "invitationAccepted", "This invitation was already accepted");
  if (!inv.revokedAt) await db.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } });
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "invitation.revoked",
    targetType: "invitation",
    targetId: inv.id,
    meta: ctx.meta,
  });
  return { id: inv.id };
};

const findByToken = async (token: string) => {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, tenantId: true, email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, tenant: { select: { name: true, slug: true } } },
  });
  if (!inv) throw notFound("Invitation");
  return inv;
};

/** What the invitation page shows before sign-in: workspace, role, status. */
export const previewInvitation = async (token: string) => {
  const inv = await findByToken(token);
  return { tenantName: inv.tenant.name, role: inv.role, status: statusOf(inv), emailBound: inv.email !== "" };
};

/** Accepts an invitation for the signed-in user; single use. */
export const acceptInvitation = async (user: UserCtx, token: string) => {
  const inv = await findByToken(token);
  const status = statusOf(inv);
  if (status !== "PENDING") {
    throw new AppError(status === "EXPIRED" ? "PRECONDITION_FAILED" : "CONFLICT", `invitation${status[0]}${status.slice(1).toLowerCase()}`, `This invitation is ${status.toLowerCase()}`);
  }
  const me = await db.user.findUniqueOrThrow({ where: { id: user.userId }, select: { email: true } });
  if (inv.email && inv.email !== me.email.toLowerCase()) {
    throw new AppError("FORBIDDEN", "invitationOtherEmail", "This invitation was sent to a different email address");
  }
  const result = await db.$transaction(async (tx) => {
    // Conditional update: two tabs accepting at once → only one wins.
    const claimed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count === 0) throw new AppError("CONFLICT", "invitationAccepted", "This invitation was already used");
    const existing = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: inv.tenantId, userId: user.userId } }, select: { id: true } });
    if (existing) return { alreadyMember: true };
    await tx.membership.create({ data: { tenantId: inv.tenantId, userId: user.userId, role: inv.role } });
    return { alreadyMember: false };
  });
  await recordAudit({
    tenantId: inv.tenantId,
    actorId: user.userId,
    actorType: "USER",
    action: "invitation.accepted",
    targetType: "invitation",
    targetId: inv.id,
    metadata: { role: inv.role, alreadyMember: result.alreadyMember },
    meta: user.meta,
  });
  return { tenantSlug: inv.tenant.slug, role: inv.role };
};
