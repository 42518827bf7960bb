import { z } from "zod";
import { ZTenantStatus } from "../tenant/schemas";

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
