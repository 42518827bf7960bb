/**
 * Account deletion on real PostgreSQL: typed confirmation, refused (naming the workspaces) while
 * the user is the sole owner of a workspace that is not deleted, then the user, their sessions,
 * accounts and memberships and private chats go, while what they made in a workspace stays there,
 * no longer linked to them; audited on the workspace's and the platform chain.
 */
import { describe, expect, it } from "vitest";
import { addMember, createSession, createTenant, createTenantWithMembers, createUser, TEST_META, userCtxOf } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { seedContent } from "../../../../tests/support/privacy-data";
import { db } from "~/server/db/client";
import { objectStorage } from "~/server/infra/storage";
import { PLATFORM_CHAIN } from "../audit/audit";
import { deleteAccount } from "./account-deletion";

const ctxOf = (user: { id: string }) => ({ ...userCtxOf(user), meta: TEST_META });

describe("deleting one's account", () => {
  it("needs the account's e-mail address typed", async () => {
    const user = await createUser();
    await expect(deleteAccount(ctxOf(user), { confirmation: "someone@example.test" })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "confirmationMismatch" });
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("is refused while the user is the only owner of a workspace, naming it; allowed once another owner exists or it is deleted", async () => {
    const f = await createTenantWithMembers({ name: "Acme Board" });
    const deleted = await createTenant({ name: "Gone Ltd" });
    await addMember(deleted.id, f.owner.id, "OWNER");
    await db.tenant.update({ where: { id: deleted.id }, data: { status: "DELETED" } });
    await expect(callerFor(f.owner).account.deleteAccount({ confirmation: f.owner.email })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      cause: { reason: "soleOwnerOfWorkspaces", params: { workspaces: "Acme Board" } },
    });
    expect(await db.user.count({ where: { id: f.owner.id } })).toBe(1);

    const coOwner = await createUser();
    await addMember(f.tenant.id, coOwner.id, "OWNER");
    await expect(deleteAccount(ctxOf(f.owner), { confirmation: f.owner.email.toUpperCase() })).resolves.toEqual({ deleted: true });
  });

  it("deletes the user, sessions, accounts, memberships and private chats; their meetings, tasks and documents stay, unlinked", async () => {
    const f = await createTenantWithMembers();
    const user = f.member;
    const content = await seedContent({ tenantId: f.tenant.id, userId: user.id, at: new Date(), storage: objectStorage() });
    await createSession(user.id);
    await db.account.create({ data: { userId: user.id, type: "oidc", provider: "oidc", providerAccountId: `acct-${user.id}` } });

    await expect(callerFor(user).account.deleteAccount({ confirmation: user.email })).resolves.toEqual({ deleted: true });

    expect(await db.user.count({ where: { id: user.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.account.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.conversation.count({ where: { id: content.conversationId } })).toBe(0);
    const meeting = await db.meeting.findUniqueOrThrow({ where: { id: content.meetingId } });
    const task = await db.task.findUniqueOrThrow({ where: { id: content.taskId } });
    const document = await db.document.findUniqueOrThrow({ where: { id: content.documentId } });
    expect([meeting.createdById, task.createdById, document.uploadedById]).toEqual([null, null, null]);
    expect((await db.llmCall.findUniqueOrThrow({ where: { id: content.llmCallId } })).userId).toBeNull();

    const onTenant = await db.auditEvent.findFirst({ where: { chain: f.tenant.id, action: "member.account_deleted", targetId: user.id } });
    const onPlatform = await db.auditEvent.findFirst({ where: { chain: PLATFORM_CHAIN, action: "account.deleted", targetId: user.id } });
    expect(onTenant).not.toBeNull();
    expect(onPlatform?.metadata).toMatchObject({ memberships: 1, conversations: 1 });
    // Even a caller still holding the old identity reaches nothing: no membership is left.
    await expect(callerFor(user).tenant.get({ tenantSlug: f.tenant.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
