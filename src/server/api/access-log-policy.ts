/**
 * Access-logging policy: for every tRPC procedure and every route handler,
 * whether a call must leave an audit event, and which.
 *
 * - `admin`: changes access, settings, keys, members or tenant state, or is a
 *   platform-admin procedure (every one of those is audited by
 *   `platformAdminProcedure` under its path, allowed or denied).
 * - `sensitive-read`: reads other people's data, an export, the audit trail, or
 *   tenant content inside a support session.
 * - `none`: ordinary use of the caller's own workspace; where an entry could
 *   look sensitive it says why it is not.
 *
 * `events` names the audit events one allowed call appends: on the chain of the
 * tenant the call acts on (`tenant`) or on the platform chain (`platform`).
 * tests/access-logging.test.ts is generated from `appRouter` and the route
 * files: a procedure or route missing here fails it, an entry for one that no
 * longer exists fails it, and every admin / sensitive-read entry is called
 * through the real router (or route module) and must append exactly these events.
 * Policy only: nothing at run time reads this file (the events are written by
 * the services, never by routers).
 */

type TAuditChain = "tenant" | "platform";
export type TExpectedAuditEvent = { chain: TAuditChain; action: string };

export type TAccessLogRule =
  | {
      kind: "admin" | "sensitive-read";
      events: readonly TExpectedAuditEvent[];
      /** A platformAdminProcedure: its middleware also audits refusals (DENIED) under `admin.<path>`. */
      platformAdmin?: true;
    }
  | { kind: "none"; reason?: string };

const onTenant = (action: string): TExpectedAuditEvent => ({ chain: "tenant", action });
const onPlatform = (action: string): TExpectedAuditEvent => ({ chain: "platform", action });

const admin = (...events: TExpectedAuditEvent[]): TAccessLogRule => ({ kind: "admin", events });
const sensitiveRead = (...events: TExpectedAuditEvent[]): TAccessLogRule => ({ kind: "sensitive-read", events });
const none = (reason?: string): TAccessLogRule => ({ kind: "none", reason });

/**
 * A platform-admin procedure: the middleware's event (its path, prefixed with
 * `admin.` unless it already is, exactly as `platformAdminProcedure` writes it)
 * plus whatever its service records.
 */
const platform = (kind: "admin" | "sensitive-read", path: string, ...serviceEvents: TExpectedAuditEvent[]): TAccessLogRule => ({
  kind,
  platformAdmin: true,
  events: [onPlatform(path.startsWith("admin.") ? path : `admin.${path}`), ...serviceEvents],
});

const OWN_CONVERSATION = "the caller's own private conversation: every other user, admins included, gets NOT_FOUND";
const WORKSPACE_WORK = "workspace work every member shares; changes no access, setting or key";

export const ACCESS_LOG_POLICY: Record<string, TAccessLogRule> = {
  // account
  "account.signUp": admin(onPlatform("user.signed_up")),
  "account.me": none(),
  "account.setLocale": none("the caller's own display language; grants or changes no access"),
  "account.signOutEverywhere": admin(onPlatform("auth.signed_out_everywhere")),
  "account.deleteAccount": admin(onTenant("member.account_deleted"), onPlatform("account.deleted")),
  // tenant
  "tenant.list": none("the caller's own memberships"),
  "tenant.create": admin(onTenant("tenant.created")),
  "tenant.get": none(),
  "tenant.rename": admin(onTenant("tenant.renamed")),
  "tenant.updateProfile": admin(onTenant("tenant.profile_update")),
  // member
  "member.list": none("names and roles of fellow members, shown to every member by design"),
  "member.changeRole": admin(onTenant("member.role_changed")),
  "member.remove": admin(onTenant("member.removed")),
  "member.leave": admin(onTenant("member.left")),
  // invitation
  "invitation.list": none("the workspace's own pending invitations, admins only; reading them changes nothing"),
  "invitation.create": admin(onTenant("invitation.created")),
  "invitation.revoke": admin(onTenant("invitation.revoked")),
  "invitation.preview": none("the workspace name, for whoever holds the link (the link is the secret)"),
  "invitation.accept": admin(onTenant("invitation.accepted")),
  // provider credentials (BYOK keys)
  "provider.list": none("masked: provider, label and last4 only; the key never leaves the server"),
  "provider.create": admin(onTenant("provider_credential.created")),
  "provider.delete": admin(onTenant("provider_credential.deleted")),
  // A key action: it decrypts the key and sends it to the provider.
  "provider.test": admin(onTenant("provider_credential.tested")),
  // personas (workspace settings)
  "persona.list": none("the workspace's persona settings, admins only"),
  "persona.update": admin(onTenant("persona.update")),
  "persona.reset": admin(onTenant("persona.reset")),
  // chat
  "chat.personas": none(),
  "chat.list": none(OWN_CONVERSATION),
  "chat.get": none(OWN_CONVERSATION),
  "chat.rename": none(OWN_CONVERSATION),
  "chat.delete": none(OWN_CONVERSATION),
  // knowledge: reading is every member's; downloading an original is the audited route below
  "knowledge.list": none("document metadata every member of the workspace may read"),
  "knowledge.get": none("document metadata every member of the workspace may read"),
  "knowledge.usage": none("the workspace's storage totals"),
  // An admin may delete another member's upload: destructive on shared data.
  "knowledge.delete": admin(onTenant("document.delete")),
  "knowledge.reindex": none("re-runs ingestion of an existing document (it is recorded as document.reindex all the same)"),
  // meetings and tasks
  "meeting.create": none(WORKSPACE_WORK),
  "meeting.list": none(WORKSPACE_WORK),
  "meeting.get": none(WORKSPACE_WORK),
  "meeting.minutes": none(WORKSPACE_WORK),
  "meeting.cancel": none(WORKSPACE_WORK),
  "meeting.resume": none(WORKSPACE_WORK),
  "task.create": none(WORKSPACE_WORK),
  "task.createFromActionItem": none(WORKSPACE_WORK),
  "task.list": none(WORKSPACE_WORK),
  "task.get": none(WORKSPACE_WORK),
  "task.cancel": none(WORKSPACE_WORK),
  "task.accept": none(WORKSPACE_WORK),
  "task.sendBack": none(WORKSPACE_WORK),
  "task.updateDeliverable": none(WORKSPACE_WORK),
  "task.retry": none(WORKSPACE_WORK),
  // platform admin: directory, tenants, users, usage, audit log
  "admin.tenants": platform("admin", "admin.tenants"),
  "admin.users": platform("admin", "admin.users"),
  "admin.tenant": platform("admin", "admin.tenant"),
  "admin.suspendTenant": platform("admin", "admin.suspendTenant", onTenant("tenant.suspended")),
  "admin.reactivateTenant": platform("admin", "admin.reactivateTenant", onTenant("tenant.reactivated")),
  "admin.user": platform("admin", "admin.user"),
  "admin.disableUser": platform("admin", "admin.disableUser", onPlatform("user.disabled")),
  "admin.enableUser": platform("admin", "admin.enableUser", onPlatform("user.enabled")),
  "admin.revokeUserSessions": platform("admin", "admin.revokeUserSessions", onPlatform("user.sessions_revoked")),
  "admin.grantPlatformAdmin": platform("admin", "admin.grantPlatformAdmin", onPlatform("user.platform_admin_granted")),
  "admin.revokePlatformAdmin": platform("admin", "admin.revokePlatformAdmin", onPlatform("user.platform_admin_revoked")),
  "admin.setTokenBudget": platform("admin", "admin.setTokenBudget", onTenant("tenant.token_budget_set")),
  "admin.usage": platform("admin", "admin.usage"),
  "admin.auditLog": platform("sensitive-read", "admin.auditLog"),
  // platform admin: background jobs and reliability
  "admin.jobRuns": platform("admin", "admin.jobRuns"),
  "admin.deadLetters": platform("admin", "admin.deadLetters"),
  "admin.deadLetter": platform("admin", "admin.deadLetter"),
  "admin.replayDeadLetter": platform("admin", "admin.replayDeadLetter", onTenant("jobs.dead_letter.replayed")),
  "admin.discardDeadLetter": platform("admin", "admin.discardDeadLetter", onTenant("jobs.dead_letter.discarded")),
  "admin.diagnostics": platform("admin", "admin.diagnostics"),
  "admin.runDiagnostic": platform("admin", "admin.runDiagnostic"),
  "admin.fixDiagnostic": platform("admin", "admin.fixDiagnostic"),
  "admin.ops.slos": platform("admin", "admin.ops.slos"),
  "admin.ops.live": platform("admin", "admin.ops.live"),
  "admin.ops.topTenants": platform("admin", "admin.ops.topTenants"),
  "admin.ops.queueBacklog": platform("admin", "admin.ops.queueBacklog"),
  // support access (break-glass): both chains for the session, the tenant's chain for every read
  "support.open": platform("admin", "support.open", onTenant("support_session.opened"), onPlatform("support_session.opened")),
  "support.end": platform("admin", "support.end", onTenant("support_session.ended"), onPlatform("support_session.ended")),
  "support.list": platform("admin", "support.list"),
  "support.get": platform("admin", "support.get"),
  "support.conversations": platform("sensitive-read", "support.conversations", onTenant("support_session.read")),
  "support.conversation": platform("sensitive-read", "support.conversation", onTenant("support_session.read")),
  "support.documents": platform("sensitive-read", "support.documents", onTenant("support_session.read")),
  "support.meetings": platform("sensitive-read", "support.meetings", onTenant("support_session.read")),
  "support.tasks": platform("sensitive-read", "support.tasks", onTenant("support_session.read")),
  "support.notices": none("the owners' notices of support sessions, which are themselves audited on both chains"),
  "support.dismissNotice": none("marks a notice read; the session it reports is already on the audit trail"),
  // the tenant's audit trail
  "audit.list": sensitiveRead(onTenant("audit.viewed")),
  "audit.verify": none("recomputes the chain's hashes and answers ok, a count and a seq; shows no event"),
  // reliability
  "usage.get": none("aggregate latency, job and token figures of the caller's own workspace; no content"),
  "usage.budget": none("the caller's own workspace's token budget and this month's use"),
  // access reviews: reading one shows nothing an admin cannot already list; running one changes access
  "accessReview.status": none("when the workspace's next access review is due"),
  "accessReview.list": none("the workspace's reviews: members, invitations and masked keys its admins can list anyway"),
  "accessReview.get": none("the workspace's reviews: members, invitations and masked keys its admins can list anyway"),
  "accessReview.open": admin(onTenant("access_review.opened")),
  "accessReview.decide": admin(onTenant("access_review.item_decided")),
  "accessReview.complete": admin(onTenant("access_review.completed")),
  "accessReview.setInterval": admin(onTenant("access_review.interval_changed")),
  // the workspace's home: the onboarding checklist (derived from the workspace's data) and the Overview
  "onboarding.get": none("which set-up steps of the caller's own workspace are done; no content"),
  "onboarding.dismiss": admin(onTenant("onboarding.dismissed")),
  "onboarding.restore": admin(onTenant("onboarding.restored")),
  "onboarding.confirmPersonas": admin(onTenant("tenant.personas_reviewed")),
  "onboarding.keepOfflineModel": admin(onTenant("tenant.offline_model_kept")),
  "overview.get": none("the caller's own workspace work and their own conversations, each readable by them on its page"),
  // the command palette: one search over what the caller may already open, their own conversations only
  "search.query": none("titles and passages the caller can already read on their pages; another user's conversations are never searched"),
  // the workspace's encryption keys: every operation on both chains (services/key-rotation/rotation-log.ts)
  // data export (issue 16): the archive is downloaded through the route below
  "dataExport.request": sensitiveRead(onTenant("data_export.requested")),
  "dataExport.list": none("the caller's own exports, and the workspace's for admins: status and size, no content"),
  "dataExport.get": none("one such export's progress"),
  "dataExport.link": sensitiveRead(onTenant("data_export.link_issued")),
  "keys.status": none("key versions, ages and operations; never key material"),
  "keys.rotate": admin(onTenant("key_rotation.requested"), onPlatform("key_rotation.requested")),
  "keys.rollback": admin(onTenant("key_rotation.requested"), onPlatform("key_rotation.requested")),
  "keys.destroy": admin(onTenant("key_rotation.destroyed"), onPlatform("key_rotation.destroyed")),
  // the privacy centre's settings (services/privacy/settings.ts): changes carry the fields old → new, never content
  "privacy.get": none("the workspace's own telemetry, residency and retention settings; no personal data"),
  "privacy.update": admin(onTenant("privacy.settings_updated")),
  "deletion.status": none("whether the workspace is scheduled for deletion, when and by whom: what its banner shows every member"),
  "deletion.requestWorkspace": admin(onTenant("workspace.deletion.requested")),
  "deletion.cancelWorkspace": admin(onTenant("workspace.deletion.cancelled")),
  "admin.keys.fleet": platform("admin", "admin.keys.fleet"),
  "admin.keys.rotateMaster": platform("admin", "admin.keys.rotateMaster", onPlatform("key_rotation.requested")),
  "admin.keys.rotateAllDataKeys": platform("admin", "admin.keys.rotateAllDataKeys", onTenant("key_rotation.requested"), onPlatform("key_rotation.requested")),
};

/**
 * Route handlers (src/app/api/**\/route.ts), keyed "<METHOD> <route>" with the
 * route's folder path. Same rules as procedures.
 */
export const ACCESS_LOG_ROUTES: Record<string, TAccessLogRule> = {
  "GET /api/admin/audit/export": { kind: "sensitive-read", events: [onPlatform("admin.auditExport")] },
  "GET /api/t/[tenantSlug]/audit/export": sensitiveRead(onTenant("audit.exported")),
  "GET /api/t/[tenantSlug]/documents/[documentId]/original": sensitiveRead(onTenant("document.download")),
  "GET /api/t/[tenantSlug]/exports/[exportId]/download": sensitiveRead(onTenant("data_export.downloaded")),
  "POST /api/t/[tenantSlug]/documents": none("a member adds content to their workspace (recorded as document.upload all the same)"),
  "POST /api/t/[tenantSlug]/chat": none(OWN_CONVERSATION),
  "GET /api/auth/[...nextauth]": none("Auth.js pages and callbacks; sign-ins are audited as auth.sign_in by the Auth.js events"),
  "POST /api/auth/[...nextauth]": none("Auth.js sign-in and sign-out; audited as auth.sign_in / auth.signed_out by the Auth.js events"),
  "GET /api/trpc/[trpc]": none("transport only: each procedure is classified in ACCESS_LOG_POLICY"),
  "POST /api/trpc/[trpc]": none("transport only: each procedure is classified in ACCESS_LOG_POLICY"),
  "GET /api/inngest": none("job engine introspection; answers nothing to unsigned callers"),
  "POST /api/inngest": none("signed job calls from the engine; the jobs' services audit what they change"),
  "PUT /api/inngest": none("signed sync from the engine"),
  "GET /api/health": none(),
  "GET /api/health/live": none(),
  "GET /api/metrics": none("process metrics behind METRICS_TOKEN; no tenant id or content in labels"),
  "POST /api/perf/proxy": none("benchmark baseline, a 404 unless the operator sets OCSUITE_PERF_PROXY_TARGET"),
};
