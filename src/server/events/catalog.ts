/**
 * The typed event catalog: every event the app sends or triggers on. Events
 * carry ids only — never secrets or PII; functions load data inside steps.
 * Names are `<domain>/<entity>.<past-tense>`. Each is an SDK v4 `eventType`
 * with a zod schema, validated when sent and usable as a trigger.
 */
import { eventType } from "inngest";
import { z } from "zod";
import { TRACEPARENT_PATTERN } from "./trace-context";

const id = z.string().min(1).max(200);
/** Every event may carry the sender's W3C trace context (see trace-context.ts). */
const traced = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, traceparent: z.string().regex(TRACEPARENT_PATTERN).optional() });

/** Demo / liveness: asks the background engine to record a heartbeat. */
export const systemPingRequested = eventType("system/ping.requested", {
  schema: traced({ pingId: id, tenantId: id.optional() }),
});

/** An operator asked to replay a dead-lettered run's original event. */
export const deadLetterReplayed = eventType("jobs/dead-letter.replayed", {
  schema: traced({ deadLetterId: id, requestedBy: id.optional() }),
});

/**
 * A document needs (re-)indexing: extract → chunk → index → embed. `indexVersion`
 * is the document's version when the event was sent; a run whose version is no
 * longer the document's (re-indexed or deleted since) does nothing.
 */
export const knowledgeDocumentIngest = eventType("knowledge/document.ingest", {
  schema: traced({ tenantId: id, documentId: id, indexVersion: z.number().int().nonnegative() }),
});

/**
 * A board meeting should run (created, or resumed). `runVersion` is the
 * meeting's run version when sent; resume bumps it, so a run for an older
 * version does nothing.
 */
export const meetingRunRequested = eventType("meeting/run.requested", {
  schema: traced({ tenantId: id, meetingId: id, runVersion: z.number().int().positive() }),
});

/** A member cancelled a meeting: its run is cancelled (cancelOn matches data.meetingId). */
export const meetingCancelRequested = eventType("meeting/cancel.requested", {
  schema: traced({ tenantId: id, meetingId: id }),
});

/**
 * A task's current revision should run (created, or sent back with feedback).
 * A run whose revision is no longer the task's, or whose task was cancelled or
 * accepted since, does nothing.
 */
export const taskRunRequested = eventType("task/run.requested", {
  schema: traced({ tenantId: id, taskId: id, revision: z.number().int().positive() }),
});

/** The user cancelled a task: its run is cancelled (cancelOn matches data.taskId). */
export const taskCancelRequested = eventType("task/cancel.requested", {
  schema: traced({ tenantId: id, taskId: id }),
});

/**
 * A tenant data-key operation (rotation or rollback) should run; the KeyRotation
 * row (services/key-rotation) says which and is the job's checkpoint.
 */
export const dataKeyRotationRequested = eventType("security/data-key.rotation.requested", {
  schema: traced({ tenantId: id, rotationId: id }),
});

/** A platform admin started re-wrapping every data key under the current master key version. */
export const masterKeyRotationRequested = eventType("security/master-key.rotation.requested", {
  schema: traced({ rotationId: id }),
});

/**
 * Retention (issue 16): purge one workspace's data older than its windows
 * (inngest/jobs/retention-purge.ts; the daily cron sends one per workspace with a window).
 */
export const retentionPurgeRequested = eventType("privacy/retention.purge.requested", {
  schema: traced({ tenantId: id }),
});

/**
 * A workspace's deletion grace period is over: purge everything and destroy its data keys
 * (inngest/jobs/workspace-purge.ts). The id is `workspaceId`, not `tenantId`, on purpose: the purge
 * deletes the workspace's job history (rows keyed by the event's tenantId), which must not include
 * the purge's own run.
 */
export const workspacePurgeRequested = eventType("privacy/workspace.purge.requested", {
  schema: traced({ workspaceId: id }),
});

/**
 * A member asked for a data export (issue 16): the DataExport row is the job's state. `appUrl` and
 * `locale` shape the notification's link (no PII: the requester is read from the row).
 */
export const dataExportRequested = eventType("privacy/data-export.requested", {
  schema: traced({ tenantId: id, exportId: id, appUrl: z.url().max(500), locale: z.string().max(20).nullable() }),
});

export const eventCatalog = [
  systemPingRequested,
  deadLetterReplayed,
  knowledgeDocumentIngest,
  meetingRunRequested,
  meetingCancelRequested,
  taskRunRequested,
  taskCancelRequested,
  dataKeyRotationRequested,
  masterKeyRotationRequested,
  retentionPurgeRequested,
  workspacePurgeRequested,
  dataExportRequested,
] as const;
