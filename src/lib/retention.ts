/**
 * Retention per data class (privacy centre, issue 16): the classes, the Tenant column that holds
 * each window (days; null = keep) and the bounds a window must respect. Shared by the settings
 * form (client), the settings service and the scheduled purge. Safe for the client.
 */
export const RETENTION_CLASSES = ["conversations", "meetings", "tasks", "documents", "llmCalls", "audit"] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

/** The Tenant column of each class. */
export const RETENTION_COLUMN = {
  conversations: "retentionConversationsDays",
  meetings: "retentionMeetingsDays",
  tasks: "retentionTasksDays",
  documents: "retentionDocumentsDays",
  llmCalls: "retentionLlmCallsDays",
  audit: "retentionAuditDays",
} as const satisfies Record<RetentionClass, string>;

/**
 * The shortest window a workspace may choose per class, in days. Audit events have a legal
 * minimum (one year: docs/policies/data-retention.md) that no setting can undercut; the other
 * classes accept any window from one day.
 */
export const RETENTION_MIN_DAYS: Record<RetentionClass, number> = {
  conversations: 1,
  meetings: 1,
  tasks: 1,
  documents: 1,
  llmCalls: 1,
  audit: 365,
};

/** The longest window accepted (10 years); beyond that, choose "keep". */
export const RETENTION_MAX_DAYS = 3650;

export type RetentionPolicy = Record<RetentionClass, number | null>;
