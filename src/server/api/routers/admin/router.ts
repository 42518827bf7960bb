import { createTRPCRouter, platformAdminProcedure } from "~/server/api/trpc";
import { listAuditEvents } from "~/server/services/admin/audit-log";
import { listAllTenants, listAllUsers } from "~/server/services/admin/directory";
import { grantPlatformAdmin, revokePlatformAdmin } from "~/server/services/admin/platform-admins";
import { getTenantDetail, reactivateTenant, suspendTenant } from "~/server/services/admin/tenants";
import { getUsage } from "~/server/services/admin/usage";
import { disableUser, enableUser, getUserDetail, revokeUserSessions } from "~/server/services/admin/users";
import { setTokenBudget } from "~/server/services/budgets/set-budget";
import { discardDeadLetter, getDeadLetter, listDeadLetters, replayDeadLetter } from "~/server/services/dead-letters/dead-letters";
import { fixDiagnostic, listFailingDiagnostics, runDiagnostic } from "~/server/services/job-diagnostics/diagnostics";
import { listJobRuns } from "~/server/services/job-runs/job-runs";
import { adminKeysRouter } from "../admin-keys/router";
import { opsRouter } from "../ops/router";
import {
  ZAdminTenantInput,
  ZAdminTenantOutput,
  ZAdminTenantsOutput,
  ZAdminUserInput,
  ZAdminUserOutput,
  ZAuditLogInput,
  ZAuditLogOutput,
  ZDisableUserInput,
  ZDisableUserOutput,
  ZEnableUserOutput,
  ZPlatformAdminChangeInput,
  ZPlatformAdminChangeOutput,
  ZReactivateTenantInput,
  ZSetTokenBudgetInput,
  ZSetTokenBudgetOutput,
  ZRevokeUserSessionsOutput,
  ZSuspendTenantInput,
  ZTenantStatusChangeOutput,
  ZUsageInput,
  ZUsageOutput,
  ZAdminUsersOutput,
  ZDeadLetterInput,
  ZDeadLetterOutput,
  ZDeadLettersInput,
  ZDeadLettersOutput,
  ZJobRunsInput,
  ZJobRunsOutput,
  ZDiagnosticsInput,
  ZDiagnosticsOutput,
  ZDirectoryInput,
  ZDiscardDeadLetterInput,
  ZDiscardDeadLetterOutput,
  ZFixDiagnosticInput,
  ZFixDiagnosticOutput,
  ZReplayDeadLetterOutput,
  ZRunDiagnosticInput,
  ZRunDiagnosticOutput,
} from "./schemas";

export const adminRouter = createTRPCRouter({
  tenants: platformAdminProcedure.input(ZDirectoryInput).output(ZAdminTenantsOutput).query(({ input }) => listAllTenants(input)),
  users: platformAdminProcedure.input(ZDirectoryInput).output(ZAdminUsersOutput).query(({ input }) => listAllUsers(input)),
  // one tenant: detail, suspend / reactivate (also written to the tenant's own audit chain)
  tenant: platformAdminProcedure.input(ZAdminTenantInput).output(ZAdminTenantOutput).query(({ input }) => getTenantDetail(input.tenantId)),
  suspendTenant: platformAdminProcedure
    .input(ZSuspendTenantInput)
    .output(ZTenantStatusChangeOutput)
    .mutation(({ ctx, input }) => suspendTenant(input, { adminUserId: ctx.user.id, meta: ctx.meta })),
  reactivateTenant: platformAdminProcedure
    .input(ZReactivateTenantInput)
    .output(ZTenantStatusChangeOutput)
    .mutation(({ ctx, input }) => reactivateTenant(input, { adminUserId: ctx.user.id, meta: ctx.meta })),
  // the tenant's monthly token budget: set or clear (null); also written to the tenant's chain
  setTokenBudget: platformAdminProcedure
    .input(ZSetTokenBudgetInput)
    .output(ZSetTokenBudgetOutput)
    .mutation(({ ctx, input }) => setTokenBudget(input, { adminUserId: ctx.user.id, meta: ctx.meta })),
  // one user: detail, disable / enable, revoke sessions
  user: platformAdminProcedure.input(ZAdminUserInput).output(ZAdminUserOutput).query(({ input }) => getUserDetail(input.userId)),
  disableUser: platformAdminProcedure
    .input(ZDisableUserInput)
    .output(ZDisableUserOutput)
    .mutation(({ ctx, input }) => disableUser(input, { adminUserId: ctx.user.id, meta: ctx.meta })),
  enableUser: platformAdminProcedure
    .input(ZAdminUserInput)
    .output(ZEnableUserOutput)
    .mutation(({ ctx, input }) => enableUser(input, { adminUserId: ctx.user.id, meta: ctx.meta })),
  revokeUserSessions: platformAdminProcedure
    .input(ZAdminUserInput)
    .output(ZRevokeUserSessionsOutput)
    .mutation(({ ctx, input }) => revokeUserSessions(input, { adminUserId: ctx.user.id, meta: ctx.meta })),
  // platform-admin powers: grant, revoke (not your own, never the last admin; revoking ends their sessions)
  grantPlatformAdmin: platformAdminProcedure
    .input(ZPlatformAdminChangeInput)
    .output(ZPlatformAdminChangeOutput)
    .mutation(({ ctx, input }) => grantPlatformAdmin(input, { adminUserId: ctx.user.id, meta: ctx.meta })),
  revokePlatformAdmin: platformAdminProcedure
    .input(ZPlatformAdminChangeInput)
    .output(ZPlatformAdminChangeOutput)
    .mutation(({ ctx, input }) => revokePlatformAdmin(input, { adminUserId: ctx.user.id, meta: ctx.meta })),
  // LLM usage and the audit log (its CSV/JSON export is GET /api/admin/audit/export)
  usage: platformAdminProcedure.input(ZUsageInput).output(ZUsageOutput).query(({ input }) => getUsage(input)),
  auditLog: platformAdminProcedure.input(ZAuditLogInput).output(ZAuditLogOutput).query(({ input }) => listAuditEvents(input)),
  // background jobs
  jobRuns: platformAdminProcedure.input(ZJobRunsInput).output(ZJobRunsOutput).query(({ input }) => listJobRuns(input)),
  deadLetters: platformAdminProcedure.input(ZDeadLettersInput).output(ZDeadLettersOutput).query(({ input }) => listDeadLetters(input)),
  deadLetter: platformAdminProcedure.input(ZDeadLetterInput).output(ZDeadLetterOutput).query(({ input }) => getDeadLetter(input.id)),
  replayDeadLetter: platformAdminProcedure
    .input(ZDeadLetterInput)
    .output(ZReplayDeadLetterOutput)
    .mutation(({ ctx, input }) => replayDeadLetter({ id: input.id, adminUserId: ctx.user.id, meta: ctx.meta })),
  discardDeadLetter: platformAdminProcedure
    .input(ZDiscardDeadLetterInput)
    .output(ZDiscardDeadLetterOutput)
    .mutation(({ ctx, input }) => discardDeadLetter({ ...input, adminUserId: ctx.user.id, meta: ctx.meta })),
  diagnostics: platformAdminProcedure.input(ZDiagnosticsInput).output(ZDiagnosticsOutput).query(({ input }) => listFailingDiagnostics(input)),
  runDiagnostic: platformAdminProcedure.input(ZRunDiagnosticInput).output(ZRunDiagnosticOutput).mutation(({ input }) => runDiagnostic(input)),
  fixDiagnostic: platformAdminProcedure.input(ZFixDiagnosticInput).output(ZFixDiagnosticOutput).mutation(({ input }) => fixDiagnostic(input)),
  // reliability: SLOs, queues, top tenants (/admin/ops)
  ops: opsRouter,
  // encryption keys fleet-wide, master-key rotation (/admin/keys)
  keys: adminKeysRouter,
});
