import { z } from "zod";
import { ZTenantStatus } from "../tenant/schemas";
import { ZTokenBudgetStatus } from "../usage/schemas";

export const ZDirectoryInput = z.object({ query: z.string().trim().max(100).optional(), take: z.number().int().min(1).max(200).default(50) });
export const ZAdminTenantsOutput = z.array(
  z.object({ id: z.string(), slug: z.string(), name: z.string(), status: ZTenantStatus, plan: z.string(), createdAt: z.date(), memberCount: z.number().int() }),
);
export const ZAdminUsersOutput = z.array(
  z.object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    isPlatformAdmin: z.boolean(),
    disabledAt: z.date().nullable(),
    createdAt: z.date(),
    tenantCount: z.number().int(),
  }),
);

// ─── background jobs: dead letters and the diagnostic job ───────────────────
export const ZDeadLetterStatus = z.enum(["open", "replayed", "discarded"]);
const ZIdent = z.string().trim().min(1).max(200);

export const ZDeadLettersInput = z.object({
  functionId: ZIdent.optional(),
  tenantId: ZIdent.optional(),
  status: ZDeadLetterStatus.optional(),
  take: z.number().int().min(1).max(200).default(50),
  cursor: ZIdent.optional(),
});
const ZDeadLetterSummary = z.object({
  id: z.string(),
  functionId: z.string(),
  runId: z.string(),
  eventId: z.string(),
  eventName: z.string(),
  tenantId: z.string().nullable(),
  errorName: z.string(),
  errorMessage: z.string(),
  attempts: z.number().int(),
  status: ZDeadLetterStatus,
  createdAt: z.date(),
  replayedAt: z.date().nullable(),
  replayedBy: z.string().nullable(),
  discardedAt: z.date().nullable(),
  discardedBy: z.string().nullable(),
  discardReason: z.string().nullable(),
});
export const ZDeadLettersOutput = z.object({
  items: z.array(ZDeadLetterSummary),
  nextCursor: z.string().nullable(),
  functionIds: z.array(z.string()),
  tenantIds: z.array(z.string()),
});
export const ZDeadLetterInput = z.object({ id: ZIdent });
export const ZJobRunStatus = z.enum(["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]);
export const ZJobRunsInput = z.object({
  status: ZJobRunStatus.optional(),
  functionId: ZIdent.optional(),
  tenantId: ZIdent.optional(),
  take: z.number().int().min(1).max(200).default(50),
  cursor: ZIdent.optional(),
});
export const ZJobRunsOutput = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      functionId: z.string(),
      status: z.string(),
      tenantId: z.string().nullable(),
      attempts: z.number().int(),
      createdAt: z.date(),
      startedAt: z.date().nullable(),
      finishedAt: z.date().nullable(),
      durationMs: z.number().int().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
  counts: z.record(ZJobRunStatus, z.number().int()),
});
export const ZDeadLetterOutput = ZDeadLetterSummary.extend({
  event: z.object({ name: z.string(), data: z.record(z.string(), z.unknown()), ts: z.number().nullable() }),
  error: z.object({ name: z.string(), message: z.string(), stack: z.string().nullable() }),
});
export const ZReplayDeadLetterOutput = z.object({ id: z.string(), requested: z.boolean(), eventId: z.string().nullable() });
export const ZDiscardDeadLetterInput = z.object({ id: ZIdent, reason: z.string().trim().min(3).max(500) });
export const ZDiscardDeadLetterOutput = ZDeadLetterSummary;

export const ZRunDiagnosticInput = z.object({ fail: z.boolean() });
export const ZRunDiagnosticOutput = z.object({ pingId: z.string(), eventId: z.string().nullable(), failing: z.boolean() });
export const ZFixDiagnosticInput = z.object({ pingId: ZIdent });
const ZDiagnostic = z.object({ pingId: z.string(), failing: z.boolean(), beats: z.number().int(), createdAt: z.date(), lastBeatAt: z.date() });
export const ZFixDiagnosticOutput = ZDiagnostic;
export const ZDiagnosticsInput = z.object({ take: z.number().int().min(1).max(100).default(20) });
export const ZDiagnosticsOutput = z.array(ZDiagnostic);

// ─── tenants: detail, suspend, reactivate ────────────────────────────────────
const ZId = z.string().trim().min(1).max(100);
const ZRole = z.enum(["OWNER", "ADMIN", "MEMBER", "VIEWER"]);
/** Why an admin acted: shown to the tenant in its audit trail, so it is required for suspensions. */
const ZReason = z.string().trim().min(3).max(500);

export const ZAdminTenantInput = z.object({ tenantId: ZId });
export const ZAdminTenantOutput = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: ZTenantStatus,
  plan: z.string(),
  industry: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  members: z.array(
    z.object({
      membershipId: z.string(),
      role: ZRole,
      joinedAt: z.date(),
      userId: z.string(),
      email: z.string(),
      name: z.string().nullable(),
      disabledAt: z.date().nullable(),
    }),
  ),
  usage: z.object({
    documents: z.number().int(),
    storageBytes: z.number().int(),
    conversations: z.number().int(),
    llmCalls30d: z.number().int(),
    inputTokens30d: z.number().int(),
    outputTokens30d: z.number().int(),
  }),
  tokenBudget: ZTokenBudgetStatus,
  lastStatusChange: z.object({ action: z.string(), at: z.date(), reason: z.string().nullable() }).nullable(),
});
export const ZSuspendTenantInput = z.object({ tenantId: ZId, reason: ZReason });
export const ZReactivateTenantInput = z.object({ tenantId: ZId, reason: ZReason.optional() });
export const ZTenantStatusChangeOutput = z.object({ id: z.string(), status: ZTenantStatus, changed: z.boolean() });
/** A monthly token budget (input + output tokens, UTC month) or null = unlimited; the reason goes to both audit chains. */
export const ZSetTokenBudgetInput = z.object({ tenantId: ZId, monthlyTokens: z.number().int().min(1).max(2_000_000_000).nullable(), reason: ZReason });
export const ZSetTokenBudgetOutput = z.object({ tenantId: z.string(), changed: z.boolean(), budget: ZTokenBudgetStatus });

// ─── users: detail, disable, enable, revoke sessions ─────────────────────────
export const ZAdminUserInput = z.object({ userId: ZId });
export const ZAdminUserOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  isPlatformAdmin: z.boolean(),
  disabledAt: z.date().nullable(),
  createdAt: z.date(),
  locale: z.string().nullable(),
  memberships: z.array(z.object({ role: ZRole, joinedAt: z.date(), tenantId: z.string(), tenantSlug: z.string(), tenantName: z.string(), tenantStatus: ZTenantStatus })),
  activeSessions: z.number().int(),
  lastSignInAt: z.date().nullable(),
});
export const ZDisableUserInput = z.object({ userId: ZId, reason: ZReason });
export const ZDisableUserOutput = z.object({ id: z.string(), disabledAt: z.date(), sessionsEnded: z.number().int() });
export const ZEnableUserOutput = z.object({ id: z.string(), disabledAt: z.null() });
export const ZRevokeUserSessionsOutput = z.object({ id: z.string(), sessionsEnded: z.number().int() });
/** Grant or revoke platform admin: the reason goes to the platform audit chain. */
export const ZPlatformAdminChangeInput = z.object({ userId: ZId, reason: ZReason });
export const ZPlatformAdminChangeOutput = z.object({ id: z.string(), isPlatformAdmin: z.boolean(), changed: z.boolean(), sessionsEnded: z.number().int() });

// ─── usage ───────────────────────────────────────────────────────────────────
const ZIsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "Not a calendar day");
export const ZUsageInput = z.object({ from: ZIsoDay.optional(), to: ZIsoDay.optional(), tenantId: ZId.optional() });
const ZUsageFigures = { calls: z.number().int(), tokens: z.number().int() };
const ZTenantLabel = { tenantId: z.string(), tenantSlug: z.string().nullable(), tenantName: z.string().nullable() };
export const ZUsageOutput = z.object({
  from: z.string(),
  to: z.string(),
  tenantId: z.string().nullable(),
  daily: z.array(z.object({ day: z.string(), ...ZUsageFigures })),
  totals: z.object(ZUsageFigures),
  perTenantDay: z.array(z.object({ day: z.string(), ...ZTenantLabel, ...ZUsageFigures, inputTokens: z.number().int(), outputTokens: z.number().int() })),
  topTenants: z.array(z.object({ ...ZTenantLabel, ...ZUsageFigures })),
});

// ─── audit log ───────────────────────────────────────────────────────────────
/** Shared by the tRPC list and the export route's query string. */
export const ZAuditLogFilter = z.object({
  tenant: z.string().trim().min(1).max(100).optional(),
  actor: z.string().trim().min(1).max(320).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export const ZAuditLogInput = ZAuditLogFilter.extend({ cursor: ZId.optional(), take: z.number().int().min(1).max(200).default(50) });
export const ZAuditLogEntry = z.object({
  id: z.string(),
  chain: z.string(),
  seq: z.number().int(),
  createdAt: z.date(),
  tenantId: z.string().nullable(),
  tenantSlug: z.string().nullable(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  actorType: z.enum(["USER", "PLATFORM_ADMIN", "SYSTEM"]),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  result: z.enum(["SUCCESS", "FAILURE", "DENIED"]),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  metadata: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export const ZAuditLogOutput = z.object({ items: z.array(ZAuditLogEntry), nextCursor: z.string().nullable() });
export const ZAuditExportQuery = ZAuditLogFilter.extend({ format: z.enum(["csv", "json"]).default("csv") });
