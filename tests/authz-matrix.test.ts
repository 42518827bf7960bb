/**
 * The authorisation matrix: every tRPC procedure × every kind of caller, each
 * called through the real router against a real database.
 *
 * Adding a procedure without adding it here fails the "covers every procedure"
 * test; removing one fails "names only existing procedures". Each (procedure,
 * caller) pair is its own named test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, createTenantWithMembers, createUser, tenantCtxOf, uid, type FactoryUser, type TenantFixture } from "../prisma/factories";
import { appRouter } from "~/server/api/root";
import { db } from "~/server/db/client";
import { createCredential } from "~/server/services/providers/credentials";
import { createInvitation } from "~/server/services/tenancy/invitations";
import { startModelsServer, type ModelsServer } from "./support/models-server";
import { callerFor } from "./support/trpc";
import { startAppEngine, type AppEngine } from "./support/app-engine";

/**
 * Procedures that send events (admin.replayDeadLetter, admin.runDiagnostic)
 * send them for real: the app's Inngest client points at a local executor
 * (inngest/local) started here, which runs the app's real functions served
 * over HTTP. (That sending fails cleanly without an engine is tested in
 * tests/dead-letter-admin.test.ts.)
 */
let engine: AppEngine | undefined;
/**
 * provider.test calls the credential's provider for real: the fixture's
 * credential points at this local stand-in for GET /models, so "ok" means a
 * real 200 with model ids (credentials.test.ts covers 401, timeouts, etc.).
 */
const PROVIDER_KEY = `sk-matrix-${uid(12)}`;
let modelsServer: ModelsServer | undefined;
beforeAll(async () => {
  modelsServer = await startModelsServer({ validKey: PROVIDER_KEY });
});
afterAll(async () => {
  await modelsServer?.close();
});
beforeAll(async () => {
  engine = await startAppEngine();
});
afterAll(async () => {
  await engine?.close();
});

const CALLERS = ["anonymous", "viewer", "member", "admin", "owner", "otherTenantMember", "platformAdmin"] as const;
type CallerKind = (typeof CALLERS)[number];
type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "CONFLICT" | "PRECONDITION_FAILED";

/** Fresh per test: a tenant with one user per role (plus a second owner and a
 * spare MEMBER to act on), a pending invitation, another tenant with its own
 * owner, and a platform admin who belongs to no tenant. */
const makeFixture = async () => {
  const t: TenantFixture = await createTenantWithMembers();
  const other = await createTenantWithMembers();
  const platformAdmin = await createUser({ isPlatformAdmin: true });
  // A second owner, so "owner leaves" is legitimately allowed (not the last owner).
  const coOwner = await createUser();
  await addMember(t.tenant.id, coOwner.id, "OWNER");
  // A spare member that member.remove / member.changeRole act on.
  const target = await createUser();
  const targetMembership = await addMember(t.tenant.id, target.id, "MEMBER");
  const invitation = await createInvitation(tenantCtxOf(t.tenant, t.owner, "OWNER"), { role: "MEMBER", appUrl: "http://localhost:3000" });
  const token = invitation.link.split("/invite/")[1]!;
  // A dead letter of the tenant (admin.deadLetter / replay / discard act on it) and a failing diagnostic.
  const pingId = `matrix-${uid()}`;
  const deadLetter = await db.inngestDeadLetter.create({
    data: {
      functionId: "ocsuite-system-heartbeat",
      runId: `matrix-run-${uid()}`,
      eventId: `matrix-evt-${uid()}`,
      eventName: "system/ping.requested",
      event: { name: "system/ping.requested", data: { pingId, tenantId: t.tenant.id }, ts: Date.now() },
      tenantId: t.tenant.id,
      errorName: "Error",
      errorMessage: "boom",
      error: { name: "Error", message: "boom" },
      attempts: 3,
    },
  });
  const credential = await createCredential(tenantCtxOf(t.tenant, t.owner, "OWNER"), {
    provider: "openai-compatible",
    label: "Matrix provider",
    apiKey: PROVIDER_KEY,
    baseUrl: modelsServer!.baseUrl,
  });
  const diagnostic = await db.jobHeartbeat.create({ data: { pingId: `diag-matrix-${uid()}`, failUntilFixed: true } });
  // The member's private conversation (chat.get / rename / delete act on it; nobody else may see it).
  const conversation = await db.conversation.create({
    data: { tenantId: t.tenant.id, userId: t.member.id, personaKey: "cfo", title: "Matrix chat", messages: { create: { tenantId: t.tenant.id, role: "user", content: "Matrix question" } } },
  });
  // A document the member uploaded (knowledge.get / delete / reindex act on it). Only the row:
  // delete of a missing stored original is a no-op, and nothing here reads the bytes.
  const documentId = `matrix-doc-${uid()}`;
  const document = await db.document.create({
    data: {
      id: documentId,
      tenantId: t.tenant.id,
      uploadedById: t.member.id,
      title: "Matrix document",
      filename: "matrix.md",
      kind: "markdown",
      mimeType: "text/markdown",
      sizeBytes: 42,
      sha256: uid(32),
      storageKey: `tenants/${t.tenant.id}/documents/${documentId}/original`,
      indexVersion: 1,
    },
  });
  // The platform admin's live support session on the tenant (support.* reads need one) and the owners' notice of it.
  const supportSession = await db.supportSession.create({
    data: { tenantId: t.tenant.id, adminId: platformAdmin.id, reason: "Matrix support session", expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const notice = await db.tenantNotice.create({
    data: { tenantId: t.tenant.id, kind: "support_session.opened", data: { sessionId: supportSession.id, reason: supportSession.reason, expiresAt: supportSession.expiresAt.toISOString() } },
  });
  // A task of the member's waiting for review (task.get / cancel / accept / sendBack / updateDeliverable act on it)
  // and a meeting's action item with no task yet (task.createFromActionItem).
  const task = await db.task.create({
    data: { tenantId: t.tenant.id, createdById: t.member.id, personaKey: "cfo", title: "Matrix task", description: "Matrix task description", status: "needs_review", deliverable: "# Matrix" },
  });
  // A task that stopped on the token budget (task.retry acts on it).
  const failedTask = await db.task.create({
    data: { tenantId: t.tenant.id, createdById: t.member.id, personaKey: "cfo", title: "Matrix failed task", description: "Matrix task description", status: "failed", errorReason: "tokenBudgetExhausted" },
  });
  const meeting = await db.meeting.create({
    data: { tenantId: t.tenant.id, createdById: t.member.id, title: "Matrix meeting", goal: "Matrix goal", agenda: ["Matrix item"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1, status: "completed" },
  });
  const actionItem = await db.actionItem.create({ data: { meetingId: meeting.id, tenantId: t.tenant.id, itemIndex: 0, ownerPersonaKey: "cfo", description: "Matrix action item" } });
  // meeting.get / minutes read the completed meeting above; resume acts on a failed one and cancel on a queued one.
  const meetingRow = (status: string) => ({ tenantId: t.tenant.id, createdById: t.member.id, title: `Matrix ${status} meeting`, goal: "Matrix goal", agenda: ["Matrix item"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1, status });
  const failedMeeting = await db.meeting.create({ data: { ...meetingRow("failed"), errorReason: "providerUnavailable" } });
  const queuedMeeting = await db.meeting.create({ data: meetingRow("queued") });
  // An open access review of the tenant whose one line (the spare member) is already kept, so the owner's
  // accessReview.decide (keep again) and complete are legitimately "ok"; open returns this review.
  const accessReview = await db.accessReview.create({
    data: {
      tenantId: t.tenant.id,
      dueAt: new Date(Date.now() + 86_400_000),
      openedById: t.owner.id,
      items: { create: { tenantId: t.tenant.id, kind: "member", subjectId: targetMembership.id, label: target.email, detail: { userId: target.id, name: null, role: "MEMBER", joinedAt: new Date().toISOString(), lastActiveAt: null }, decision: "keep", decidedById: t.owner.id, decidedAt: new Date() } },
    },
    select: { id: true, items: { select: { id: true } } },
  });
  // A ready workspace export of the owner's (dataExport.get / link act on it; members and viewers may not see it).
  const dataExport = await db.dataExport.create({
    data: { tenantId: t.tenant.id, requestedById: t.owner.id, scope: "workspace", status: "ready", storageKey: `exports/${t.tenant.id}/matrix.zip`, sizeBytes: 22, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const users: Record<CallerKind, FactoryUser | null> = {
    anonymous: null,
    viewer: t.viewer,
    member: t.member,
    admin: t.admin,
    owner: t.owner,
    otherTenantMember: other.owner,
    platformAdmin,
  };
  return {
    ...t,
    other,
    platformAdmin,
    targetMembershipId: targetMembership.id,
    invitationId: invitation.id,
    token,
    deadLetterId: deadLetter.id,
    diagnosticPingId: diagnostic.pingId,
    credentialId: credential.id,
    conversationId: conversation.id,
    documentId: document.id,
    taskId: task.id,
    failedTaskId: failedTask.id,
    actionItemId: actionItem.id,
    supportSessionId: supportSession.id,
    noticeId: notice.id,
    meetingId: meeting.id,
    failedMeetingId: failedMeeting.id,
    queuedMeetingId: queuedMeeting.id,
    accessReviewId: accessReview.id,
    accessReviewItemId: accessReview.items[0]!.id,
    dataExportId: dataExport.id,
    users,
  };
};
type Fixture = Awaited<ReturnType<typeof makeFixture>>;

type Entry = {
  /** Valid input for the procedure (undefined for procedures without input). */
  input: (fx: Fixture) => unknown;
  expect: Record<CallerKind, Outcome>;
  /** Background work an allowed call starts, awaited so that it cannot change the state a later (refused) case compares. */
  settle?: (fx: Fixture) => Promise<void>;
};

const publicAll: Record<CallerKind, Outcome> = { anonymous: "ok", viewer: "ok", member: "ok", admin: "ok", owner: "ok", otherTenantMember: "ok", platformAdmin: "ok" };
const signedIn: Record<CallerKind, Outcome> = { ...publicAll, anonymous: "UNAUTHORIZED" };
/** tenantProcedure(minRole): anonymous → UNAUTHORIZED, non-members → NOT_FOUND, below minRole → FORBIDDEN. */
const tenantRole = (min: "VIEWER" | "MEMBER" | "ADMIN" | "OWNER"): Record<CallerKind, Outcome> => {
  const rank = { VIEWER: 0, MEMBER: 1, ADMIN: 2, OWNER: 3 } as const;
  const at = (r: keyof typeof rank): Outcome => (rank[r] >= rank[min] ? "ok" : "FORBIDDEN");
  return { anonymous: "UNAUTHORIZED", viewer: at("VIEWER"), member: at("MEMBER"), admin: at("ADMIN"), owner: at("OWNER"), otherTenantMember: "NOT_FOUND", platformAdmin: "NOT_FOUND" };
};
const platformOnly: Record<CallerKind, Outcome> = {
  anonymous: "UNAUTHORIZED",
  viewer: "FORBIDDEN",
  member: "FORBIDDEN",
  admin: "FORBIDDEN",
  owner: "FORBIDDEN",
  otherTenantMember: "FORBIDDEN",
  platformAdmin: "ok",
};

const slugOf = (fx: Fixture) => ({ tenantSlug: fx.tenant.slug });

/** The export a dataExport.request started has been built and its requester e-mailed (the job's last write). */
const exportBuiltAndMailed = async (fx: Fixture) => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const x = await db.dataExport.findFirst({ where: { tenantId: fx.tenant.id, scope: "user" }, select: { status: true, requestedById: true } });
    const user = x && (await db.user.findUniqueOrThrow({ where: { id: x.requestedById }, select: { email: true } }));
    if (x && x.status !== "queued" && x.status !== "running" && user && (await db.devMail.count({ where: { to: user.email } })) > 0) return;
    if (Date.now() > deadline) throw new Error(`the export job did not finish (${x?.status ?? "no export"})`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

const MATRIX: Record<string, Entry> = {
  // account
  "account.signUp": { input: () => ({ email: `signup-${uid()}@example.test`, name: "New", password: "a-long-enough-password", locale: "en", acceptLegal: true }), expect: publicAll },
  "account.me": { input: () => undefined, expect: signedIn },
  "account.setLocale": { input: () => ({ locale: "es" }), expect: signedIn },
  "account.signOutEverywhere": { input: () => undefined, expect: signedIn },
  // Another address than the caller's: every signed-in caller reaches the service and is refused there (nobody is deleted).
  "account.deleteAccount": {
    input: () => ({ confirmation: "someone-else@example.test" }),
    expect: { anonymous: "UNAUTHORIZED", viewer: "BAD_REQUEST", member: "BAD_REQUEST", admin: "BAD_REQUEST", owner: "BAD_REQUEST", otherTenantMember: "BAD_REQUEST", platformAdmin: "BAD_REQUEST" },
  },
  // tenant
  "tenant.list": { input: () => undefined, expect: signedIn },
  "tenant.create": { input: () => ({ name: "Created Workspace", slug: `new-${uid()}` }), expect: signedIn },
  "tenant.get": { input: slugOf, expect: tenantRole("VIEWER") },
  "tenant.rename": { input: (fx) => ({ ...slugOf(fx), name: "Renamed Workspace" }), expect: tenantRole("ADMIN") },
  "tenant.updateProfile": { input: (fx) => ({ ...slugOf(fx), industry: "Robotics", description: "We build warehouse robots." }), expect: tenantRole("ADMIN") },
  // member
  "member.list": { input: slugOf, expect: tenantRole("VIEWER") },
  "member.changeRole": { input: (fx) => ({ ...slugOf(fx), membershipId: fx.targetMembershipId, role: "VIEWER" }), expect: tenantRole("OWNER") },
  // The target is a MEMBER, which admins may remove (removing admins/owners takes an owner: members.test.ts).
  "member.remove": { input: (fx) => ({ ...slugOf(fx), membershipId: fx.targetMembershipId }), expect: tenantRole("ADMIN") },
  // "ok" for owner is legitimate: the fixture has a second owner, so the leaver is not the last one.
  "member.leave": { input: slugOf, expect: tenantRole("VIEWER") },
  // invitation
  "invitation.list": { input: slugOf, expect: tenantRole("ADMIN") },
  "invitation.create": { input: (fx) => ({ ...slugOf(fx), role: "MEMBER" }), expect: tenantRole("ADMIN") },
  "invitation.revoke": { input: (fx) => ({ ...slugOf(fx), invitationId: fx.invitationId }), expect: tenantRole("ADMIN") },
  "invitation.preview": { input: (fx) => ({ token: fx.token }), expect: publicAll },
  // Any signed-in user holding a valid link may accept it (that is what a link is for);
  // existing members consume it without a role change (alreadyMember, see invitations.test.ts).
  "invitation.accept": { input: (fx) => ({ token: fx.token }), expect: signedIn },
  // provider (BYOK credentials): admins only; "ok" for test is a real 200 from the local models server above.
  "provider.list": { input: slugOf, expect: tenantRole("ADMIN") },
  "provider.create": { input: (fx) => ({ ...slugOf(fx), provider: "openai", label: "Matrix OpenAI", apiKey: `sk-${uid(12)}` }), expect: tenantRole("ADMIN") },
  "provider.delete": { input: (fx) => ({ ...slugOf(fx), id: fx.credentialId }), expect: tenantRole("ADMIN") },
  "provider.test": { input: (fx) => ({ ...slugOf(fx), id: fx.credentialId }), expect: tenantRole("ADMIN") },
  // persona: admins only. The fixture's only credential is OpenAI-compatible without a default model, so an update names one.
  "persona.list": { input: slugOf, expect: tenantRole("ADMIN") },
  "persona.update": { input: (fx) => ({ ...slugOf(fx), key: "cfo", name: "Matrix CFO", model: "matrix-model", enabled: false }), expect: tenantRole("ADMIN") },
  "persona.reset": { input: (fx) => ({ ...slugOf(fx), key: "cfo" }), expect: tenantRole("ADMIN") },
  // chat: members and up; a conversation is private to its author, so even the tenant's admins and owners get NOT_FOUND.
  "chat.personas": { input: slugOf, expect: tenantRole("MEMBER") },
  "chat.list": { input: (fx) => ({ ...slugOf(fx), query: "matrix" }), expect: tenantRole("MEMBER") },
  "chat.get": { input: (fx) => ({ ...slugOf(fx), id: fx.conversationId }), expect: { ...tenantRole("MEMBER"), admin: "NOT_FOUND", owner: "NOT_FOUND" } },
  "chat.rename": { input: (fx) => ({ ...slugOf(fx), id: fx.conversationId, title: "Renamed chat" }), expect: { ...tenantRole("MEMBER"), admin: "NOT_FOUND", owner: "NOT_FOUND" } },
  "chat.delete": { input: (fx) => ({ ...slugOf(fx), id: fx.conversationId }), expect: { ...tenantRole("MEMBER"), admin: "NOT_FOUND", owner: "NOT_FOUND" } },
  // knowledge: viewers read; members upload (HTTP route) and re-index; delete is the uploader's (the member here) or an admin's.
  "knowledge.list": { input: (fx) => ({ ...slugOf(fx), query: "matrix" }), expect: tenantRole("VIEWER") },
  "knowledge.get": { input: (fx) => ({ ...slugOf(fx), id: fx.documentId }), expect: tenantRole("VIEWER") },
  "knowledge.usage": { input: slugOf, expect: tenantRole("VIEWER") },
  "knowledge.delete": { input: (fx) => ({ ...slugOf(fx), id: fx.documentId }), expect: tenantRole("MEMBER") },
  // "ok" really sends knowledge/document.ingest to the executor started above.
  "knowledge.reindex": { input: (fx) => ({ ...slugOf(fx), id: fx.documentId }), expect: tenantRole("MEMBER") },
  // meeting: viewers read; members and up create, cancel and resume. "ok" for create / resume really sends
  // meeting/run.requested to the executor started above, and cancel sends meeting/cancel.requested.
  "meeting.create": {
    input: (fx) => ({ ...slugOf(fx), title: "Matrix board", goal: "Matrix goal", agenda: ["Budget"], personaKeys: ["ceo", "cto"], chairKey: "ceo", rounds: 1 }),
    expect: tenantRole("MEMBER"),
  },
  "meeting.list": { input: slugOf, expect: tenantRole("VIEWER") },
  "meeting.get": { input: (fx) => ({ ...slugOf(fx), id: fx.meetingId }), expect: tenantRole("VIEWER") },
  "meeting.minutes": { input: (fx) => ({ ...slugOf(fx), id: fx.meetingId }), expect: tenantRole("VIEWER") },
  "meeting.cancel": { input: (fx) => ({ ...slugOf(fx), id: fx.queuedMeetingId }), expect: tenantRole("MEMBER") },
  "meeting.resume": { input: (fx) => ({ ...slugOf(fx), id: fx.failedMeetingId }), expect: tenantRole("MEMBER") },
  // task: viewers read; members and up create and act. "ok" for create / createFromActionItem / sendBack really
  // sends task/run.requested to the executor started above (the run uses the offline model).
  "task.create": { input: (fx) => ({ ...slugOf(fx), personaKey: "cfo", title: "Matrix new task", description: "Do the matrix thing." }), expect: tenantRole("MEMBER") },
  "task.createFromActionItem": { input: (fx) => ({ ...slugOf(fx), actionItemId: fx.actionItemId }), expect: tenantRole("MEMBER") },
  "task.list": { input: slugOf, expect: tenantRole("VIEWER") },
  "task.get": { input: (fx) => ({ ...slugOf(fx), id: fx.taskId }), expect: tenantRole("VIEWER") },
  "task.cancel": { input: (fx) => ({ ...slugOf(fx), id: fx.taskId }), expect: tenantRole("MEMBER") },
  "task.accept": { input: (fx) => ({ ...slugOf(fx), id: fx.taskId }), expect: tenantRole("MEMBER") },
  "task.sendBack": { input: (fx) => ({ ...slugOf(fx), id: fx.taskId, feedback: "Matrix feedback" }), expect: tenantRole("MEMBER") },
  "task.updateDeliverable": { input: (fx) => ({ ...slugOf(fx), id: fx.taskId, deliverable: "# Matrix edited" }), expect: tenantRole("MEMBER") },
  // "ok" really sends task/run.requested for the next revision to the executor started above.
  "task.retry": { input: (fx) => ({ ...slugOf(fx), id: fx.failedTaskId }), expect: tenantRole("MEMBER") },
  // command palette: one workspace search for viewers and up (what each role gets back: services/search/workspace-search.test.ts)
  "search.query": { input: (fx) => ({ ...slugOf(fx), query: "matrix" }), expect: tenantRole("VIEWER") },
  // platform admin
  "admin.tenants": { input: () => ({}), expect: platformOnly },
  "admin.users": { input: () => ({ query: "example" }), expect: platformOnly },
  "admin.jobRuns": { input: () => ({ status: "COMPLETED" }), expect: platformOnly },
  "admin.deadLetters": { input: (fx) => ({ tenantId: fx.tenant.id, status: "open" }), expect: platformOnly },
  "admin.deadLetter": { input: (fx) => ({ id: fx.deadLetterId }), expect: platformOnly },
  // "ok" really sends jobs/dead-letter.replayed to the executor started above.
  "admin.replayDeadLetter": { input: (fx) => ({ id: fx.deadLetterId }), expect: platformOnly },
  "admin.discardDeadLetter": { input: (fx) => ({ id: fx.deadLetterId, reason: "obsolete event" }), expect: platformOnly },
  "admin.diagnostics": { input: () => ({}), expect: platformOnly },
  "admin.runDiagnostic": { input: () => ({ fail: false }), expect: platformOnly },
  "admin.fixDiagnostic": { input: (fx) => ({ pingId: fx.diagnosticPingId }), expect: platformOnly },
  // admin panel: tenants, users, usage, audit log
  "admin.tenant": { input: (fx) => ({ tenantId: fx.tenant.id }), expect: platformOnly },
  "admin.suspendTenant": { input: (fx) => ({ tenantId: fx.tenant.id, reason: "Matrix suspension" }), expect: platformOnly },
  // The fixture tenant is active: "ok" is the idempotent no-change answer (the real change is in tests/admin-panel.test.ts).
  "admin.reactivateTenant": { input: (fx) => ({ tenantId: fx.tenant.id }), expect: platformOnly },
  "admin.setTokenBudget": { input: (fx) => ({ tenantId: fx.tenant.id, monthlyTokens: 1_000_000, reason: "Matrix budget" }), expect: platformOnly },
  "admin.user": { input: (fx) => ({ userId: fx.member.id }), expect: platformOnly },
  "admin.disableUser": { input: (fx) => ({ userId: fx.member.id, reason: "Matrix disable" }), expect: platformOnly },
  "admin.enableUser": { input: (fx) => ({ userId: fx.member.id }), expect: platformOnly },
  "admin.revokeUserSessions": { input: (fx) => ({ userId: fx.member.id }), expect: platformOnly },
  "admin.grantPlatformAdmin": { input: (fx) => ({ userId: fx.member.id, reason: "Matrix grant" }), expect: platformOnly },
  // The member is no platform admin: "ok" is the idempotent no-change answer (the real change is in platform-admins.test.ts).
  "admin.revokePlatformAdmin": { input: (fx) => ({ userId: fx.member.id, reason: "Matrix revoke" }), expect: platformOnly },
  "admin.usage": { input: () => ({}), expect: platformOnly },
  "admin.auditLog": { input: (fx) => ({ tenant: fx.tenant.slug, action: "tenant." }), expect: platformOnly },
  // support access: platform admins only; reads also need the caller's live session (the fixture's, on fx.tenant).
  // open targets the other tenant: one live session per admin and tenant.
  "support.open": { input: (fx) => ({ tenantId: fx.other.tenant.id, reason: "Matrix: investigating a ticket", durationMinutes: 15 }), expect: platformOnly },
  "support.end": { input: (fx) => ({ id: fx.supportSessionId }), expect: platformOnly },
  "support.list": { input: () => ({}), expect: platformOnly },
  "support.get": { input: (fx) => ({ id: fx.supportSessionId }), expect: platformOnly },
  "support.conversations": { input: (fx) => ({ tenantId: fx.tenant.id }), expect: platformOnly },
  "support.conversation": { input: (fx) => ({ tenantId: fx.tenant.id, conversationId: fx.conversationId }), expect: platformOnly },
  "support.documents": { input: (fx) => ({ tenantId: fx.tenant.id }), expect: platformOnly },
  "support.meetings": { input: (fx) => ({ tenantId: fx.tenant.id }), expect: platformOnly },
  "support.tasks": { input: (fx) => ({ tenantId: fx.tenant.id }), expect: platformOnly },
  // the tenant side of support access: the owners' notice
  "support.notices": { input: slugOf, expect: tenantRole("OWNER") },
  "support.dismissNotice": { input: (fx) => ({ ...slugOf(fx), id: fx.noticeId }), expect: tenantRole("OWNER") },
  // the tenant's audit trail: owners and admins
  "audit.list": { input: (fx) => ({ ...slugOf(fx), action: "support_session." }), expect: tenantRole("ADMIN") },
  "audit.verify": { input: slugOf, expect: tenantRole("ADMIN") },
  // reliability: /admin/ops for platform admins (admin.ops.*), a workspace's usage page for its owners and admins
  "admin.ops.slos": { input: () => undefined, expect: platformOnly },
  "admin.ops.live": { input: () => undefined, expect: platformOnly },
  "admin.ops.topTenants": { input: () => undefined, expect: platformOnly },
  "admin.ops.queueBacklog": { input: () => undefined, expect: platformOnly },
  "usage.get": { input: slugOf, expect: tenantRole("ADMIN") },
  // the monthly token budget: everyone in the workspace sees it (the banner when it is used up)
  "usage.budget": { input: slugOf, expect: tenantRole("VIEWER") },
  // encryption keys: owners and admins see the status; only owners rotate, roll back or destroy (nothing to
  // roll back and v1 still active in the fixture, so an allowed caller gets the precondition refusal).
  // Any member exports their own data; a workspace export is seen by its requester and admins/owners only (others: NOT_FOUND).
  "dataExport.request": { input: (fx) => ({ ...slugOf(fx), scope: "user" }), expect: tenantRole("VIEWER"), settle: exportBuiltAndMailed },
  "dataExport.list": { input: slugOf, expect: tenantRole("VIEWER") },
  "dataExport.get": { input: (fx) => ({ ...slugOf(fx), exportId: fx.dataExportId }), expect: { ...tenantRole("VIEWER"), viewer: "NOT_FOUND", member: "NOT_FOUND" } },
  "dataExport.link": { input: (fx) => ({ ...slugOf(fx), exportId: fx.dataExportId }), expect: { ...tenantRole("VIEWER"), viewer: "NOT_FOUND", member: "NOT_FOUND" } },
  "keys.status": { input: slugOf, expect: tenantRole("ADMIN") },
  "keys.rotate": { input: slugOf, expect: tenantRole("OWNER") },
  "keys.rollback": { input: slugOf, expect: { ...tenantRole("OWNER"), owner: "PRECONDITION_FAILED" } },
  "keys.destroy": { input: (fx) => ({ ...slugOf(fx), version: 1, confirmation: "destroy v1" }), expect: { ...tenantRole("OWNER"), owner: "PRECONDITION_FAILED" } },
  // the privacy centre's settings: owners and admins read them; only owners change them.
  "privacy.get": { input: slugOf, expect: tenantRole("ADMIN") },
  "privacy.update": { input: (fx) => ({ ...slugOf(fx), telemetryEnabled: false }), expect: tenantRole("OWNER") },
  "deletion.status": { input: slugOf, expect: tenantRole("VIEWER") },
  "deletion.requestWorkspace": { input: (fx) => ({ ...slugOf(fx), confirmation: fx.tenant.slug }), expect: tenantRole("OWNER") },
  "deletion.cancelWorkspace": { input: slugOf, expect: { ...tenantRole("OWNER"), owner: "PRECONDITION_FAILED" } },
  "admin.keys.fleet": { input: () => undefined, expect: platformOnly },
  "admin.keys.rotateMaster": { input: () => undefined, expect: platformOnly },
  "admin.keys.rotateAllDataKeys": { input: (fx) => ({ tenantIds: [fx.tenant.id] }), expect: platformOnly },
  // access reviews: owners and admins read (nothing in a review an admin cannot already list); only owners run them.
  "accessReview.status": { input: slugOf, expect: tenantRole("ADMIN") },
  "accessReview.list": { input: slugOf, expect: tenantRole("ADMIN") },
  "accessReview.get": { input: (fx) => ({ ...slugOf(fx), reviewId: fx.accessReviewId }), expect: tenantRole("ADMIN") },
  "accessReview.open": { input: slugOf, expect: tenantRole("OWNER") },
  "accessReview.decide": { input: (fx) => ({ ...slugOf(fx), reviewId: fx.accessReviewId, itemId: fx.accessReviewItemId, decision: "keep" }), expect: tenantRole("OWNER") },
  "accessReview.complete": { input: (fx) => ({ ...slugOf(fx), reviewId: fx.accessReviewId }), expect: tenantRole("OWNER") },
  "accessReview.setInterval": { input: (fx) => ({ ...slugOf(fx), days: 120 }), expect: tenantRole("OWNER") },
  // the workspace's home: everyone reads the checklist (viewers get no steps) and the Overview; owners and admins
  // hide and restore the checklist and confirm what only they can ("ok" for restore is the no-change answer: it is shown).
  "onboarding.get": { input: slugOf, expect: tenantRole("VIEWER") },
  "onboarding.dismiss": { input: slugOf, expect: tenantRole("ADMIN") },
  "onboarding.restore": { input: slugOf, expect: tenantRole("ADMIN") },
  "onboarding.confirmPersonas": { input: slugOf, expect: tenantRole("ADMIN") },
  "onboarding.keepOfflineModel": { input: slugOf, expect: tenantRole("ADMIN") },
  "overview.get": { input: slugOf, expect: tenantRole("VIEWER") },
};

const allProcedures = Object.keys(appRouter._def.procedures).sort();

describe("authorisation matrix: coverage", () => {
  it("has found the router's procedures", () => {
    expect(allProcedures.length).toBeGreaterThanOrEqual(19);
    expect(allProcedures).toContain("admin.users");
  });
  it("covers every procedure of appRouter", () => {
    expect(allProcedures.filter((p) => !(p in MATRIX))).toEqual([]);
  });
  it("names only procedures that exist", () => {
    expect(Object.keys(MATRIX).filter((p) => !allProcedures.includes(p))).toEqual([]);
  });
});

/** Rows that a refused call must not have touched. */
/** The member's conversation as a refused chat.rename / chat.delete must leave it. */
const chatDigest = (fx: Fixture) => db.conversation.findUnique({ where: { id: fx.conversationId }, select: { title: true, _count: { select: { messages: true } } } });

/** The fixture's document as a refused knowledge.delete / reindex must leave it, and its ingestion events. */
const documentDigest = async (fx: Fixture) => ({
  row: await db.document.findUnique({ where: { id: fx.documentId }, select: { status: true, indexVersion: true } }),
  events: await db.inngestEvent.count({ where: { name: "knowledge/document.ingest", payload: { path: ["data", "documentId"], equals: fx.documentId } } }),
});

/** The fixture tenant's meetings and their events, as a refused meeting.* call must leave them. */
const meetingDigest = async (fx: Fixture) => ({
  meetings: await db.meeting.findMany({ where: { tenantId: fx.tenant.id }, select: { id: true, status: true, runVersion: true }, orderBy: { id: "asc" } }),
  events: await db.inngestEvent.count({ where: { name: { startsWith: "meeting/" }, payload: { path: ["data", "tenantId"], equals: fx.tenant.id } } }),
});

/** Support sessions and notices as a refused support.open / end / dismissNotice must leave them. */
const supportDigest = async (fx: Fixture) => ({
  sessions: await db.supportSession.count(),
  session: await db.supportSession.findUnique({ where: { id: fx.supportSessionId }, select: { endedAt: true } }),
  notices: await db.tenantNotice.count(),
  notice: await db.tenantNotice.findUnique({ where: { id: fx.noticeId }, select: { readAt: true } }),
});

/** The fixture tenant's tasks, the fixture task and action item, and their run events, as a refused task.* call must leave them. */
const taskDigest = async (fx: Fixture) => ({
  tasks: await db.task.count({ where: { tenantId: fx.tenant.id } }),
  task: await db.task.findUnique({ where: { id: fx.taskId }, select: { status: true, revision: true, deliverable: true, feedback: true } }),
  failedTask: await db.task.findUnique({ where: { id: fx.failedTaskId }, select: { status: true, revision: true, errorReason: true } }),
  actionItem: await db.actionItem.findUnique({ where: { id: fx.actionItemId }, select: { taskId: true } }),
  events: await db.inngestEvent.count({ where: { name: { startsWith: "task/" }, payload: { path: ["data", "tenantId"], equals: fx.tenant.id } } }),
});

/** The fixture tenant's access reviews and interval, as a refused accessReview.* call must leave them. */
const accessReviewDigest = async (fx: Fixture) => ({
  reviews: await db.accessReview.findMany({ where: { tenantId: fx.tenant.id }, select: { id: true, status: true, items: { select: { decision: true, decidedById: true } } }, orderBy: { id: "asc" } }),
  interval: (await db.tenant.findUniqueOrThrow({ where: { id: fx.tenant.id }, select: { accessReviewIntervalDays: true } })).accessReviewIntervalDays,
});

const stateDigest = async (fx: Fixture) => {
  const [users, tenants, memberships, invitations, sessions, mail, tenant, roles, inv, deadLetter, diagnostic, replayEvents, diagnosticEvents, credentials, credential] = await Promise.all([
    db.user.count(),
    db.tenant.count(),
    db.membership.count(),
    db.invitation.count(),
    db.session.count(),
    db.devMail.count(),
    db.tenant.findUniqueOrThrow({ where: { id: fx.tenant.id }, select: { name: true, status: true, industry: true, description: true, monthlyTokenBudget: true, onboardingDismissedAt: true, personasReviewedAt: true, offlineModelConfirmedAt: true } }),
    db.membership.findMany({ where: { tenantId: fx.tenant.id }, select: { id: true, role: true }, orderBy: { id: "asc" } }),
    db.invitation.findUniqueOrThrow({ where: { id: fx.invitationId }, select: { acceptedAt: true, revokedAt: true } }),
    db.inngestDeadLetter.findUniqueOrThrow({ where: { id: fx.deadLetterId }, select: { replayedAt: true, discardedAt: true } }),
    db.jobHeartbeat.findUniqueOrThrow({ where: { pingId: fx.diagnosticPingId }, select: { failUntilFixed: true } }),
    db.inngestEvent.count({ where: { payload: { path: ["data", "deadLetterId"], equals: fx.deadLetterId } } }),
    db.inngestEvent.count({ where: { name: "system/ping.requested", payload: { path: ["data", "pingId"], string_starts_with: "diag-" } } }),
    db.providerCredential.count(),
    db.providerCredential.findUnique({ where: { id: fx.credentialId }, select: { lastTestedAt: true, lastTestOk: true } }),
  ]);
  // Key operations of the fixture tenant, and master-key operations, as a refused keys.* / admin.keys.* call must leave them.
  const keys = { tenantOps: await db.keyRotation.count({ where: { tenantId: fx.tenant.id } }), masterOps: await db.keyRotation.count({ where: { kind: "master-key" } }) };
  return { keys, accessReview: await accessReviewDigest(fx), conversation: await chatDigest(fx), document: await documentDigest(fx), task: await taskDigest(fx), meeting: await meetingDigest(fx), support: await supportDigest(fx), users, tenants, memberships, invitations, sessions, mail, tenant, roles, inv, deadLetter, diagnostic, replayEvents, diagnosticEvents, credentials, credential };
};

const cases = Object.keys(MATRIX)
  .sort()
  .flatMap((procedure) => CALLERS.map((caller) => ({ procedure, caller, expected: MATRIX[procedure]!.expect[caller] })));

describe("authorisation matrix", () => {
  it.each(cases)("$procedure as $caller → $expected", async ({ procedure, caller, expected }) => {
    const fx = await makeFixture();
    const entry = MATRIX[procedure]!;
    const api = callerFor(fx.users[caller]);
    // Paths may nest ("admin.ops.slos"): walk the caller one segment at a time.
    const fn = procedure.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api) as (input: unknown) => Promise<unknown>;

    const before = await stateDigest(fx);
    const result = await fn(entry.input(fx)).then(
      (data) => ({ ok: true as const, data }),
      (error: unknown) => ({ ok: false as const, error: error as { code?: string; message?: string } }),
    );

    if (expected === "ok") {
      if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
      expect(result.data).not.toBeUndefined();
      await entry.settle?.(fx);
    } else {
      expect(result.ok, `expected ${expected}, but the call succeeded`).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(expected);
      // A refused call changes nothing.
      expect(await stateDigest(fx)).toEqual(before);
    }
  });
});

describe("authorisation side effects", () => {
  it("a refused platform-admin call is audited as DENIED on the platform chain", async () => {
    const fx = await makeFixture();
    await expect(callerFor(fx.owner).admin.users({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    const ev = await db.auditEvent.findFirstOrThrow({ where: { chain: "platform", actorId: fx.owner.id, action: "admin.users" } });
    expect(ev).toMatchObject({ result: "DENIED", actorType: "USER" });
  });

  it("an allowed platform-admin call is audited with its input", async () => {
    const fx = await makeFixture();
    const rows = await callerFor(fx.platformAdmin).admin.tenants({ query: fx.tenant.slug });
    expect(rows.map((r) => r.id)).toEqual([fx.tenant.id]);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { chain: "platform", actorId: fx.platformAdmin.id, action: "admin.tenants" } });
    expect(ev).toMatchObject({ result: "SUCCESS", actorType: "PLATFORM_ADMIN", metadata: { type: "query", input: { query: fx.tenant.slug } } });
  });

  it("tenant data never leaks across tenants: member.list returns only the caller's tenant", async () => {
    const fx = await makeFixture();
    const rows = await callerFor(fx.viewer).member.list({ tenantSlug: fx.tenant.slug });
    const otherIds = new Set([fx.other.owner.id, fx.other.admin.id, fx.other.member.id, fx.other.viewer.id]);
    expect(rows.length).toBe(6);
    expect(rows.some((r) => otherIds.has(r.userId))).toBe(false);
  });
});
