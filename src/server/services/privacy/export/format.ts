import { z } from "zod";

/*
 * The data-export archive's format (issue 16; docs/policies/data-export.md): the manifest's schema,
 * shared by the writer (build-export.ts) and the reader (read-archive.ts), and the README put in
 * every archive. Bump EXPORT_SCHEMA_VERSION when a file's meaning changes, never silently.
 */

export const EXPORT_SCHEMA_VERSION = 1;
export const EXPORT_SCOPES = ["workspace", "user"] as const;
export type TExportScope = (typeof EXPORT_SCOPES)[number];
export const EXPORT_STATUSES = ["queued", "running", "ready", "failed", "expired"] as const;
export type TExportStatus = (typeof EXPORT_STATUSES)[number];

export const MANIFEST_FILE = "manifest.json";
export const README_FILE = "README.md";

const ZManifestFile = z.object({
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ZManifest = z.object({
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  exportId: z.string(),
  scope: z.enum(EXPORT_SCOPES),
  createdAt: z.string(),
  workspace: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  /** The requester of a "user" export (whose data it holds); the requester of a workspace export. */
  requestedBy: z.object({ id: z.string(), email: z.string() }),
  /** The workspace's data residency preference (src/lib/regions.ts) when the archive was built. */
  dataResidency: z.string(),
  /** Objects per type (one JSON object per line in the type's .jsonl file; documentOriginals = files). */
  counts: z.record(z.string(), z.number().int().nonnegative()),
  /** Every file of the archive except manifest.json itself, with its uncompressed size and SHA-256. */
  files: z.array(ZManifestFile),
  /** Documents whose original was missing from storage when the archive was built (ids); their metadata is still in documents.jsonl. */
  missingOriginals: z.array(z.string()),
});
export type TManifest = z.infer<typeof ZManifest>;

/** The README of every archive: what each file is and how to check it. */
export const readmeText = (m: Pick<TManifest, "scope" | "workspace" | "createdAt" | "exportId">): string => `# OC Suite data export

Workspace: ${m.workspace.name} (${m.workspace.slug})
Scope: ${m.scope === "workspace" ? "the whole workspace" : "one member's own data in this workspace"}
Created: ${m.createdAt}
Export id: ${m.exportId}

## Format (schema version ${EXPORT_SCHEMA_VERSION})

- \`manifest.json\`: schema version, workspace, scope, creation time, data residency region, the
  number of objects of each type (\`counts\`) and every other file's size and SHA-256 (\`files\`).
- \`*.jsonl\`: one JSON object per line (JSON Lines), one file per object type, in creation order:
  \`workspace.json\` and \`settings.json\` (profile, privacy settings, retention), \`members.jsonl\`
  (members and roles), \`invitations.jsonl\`, \`personas.jsonl\`, \`provider-keys.jsonl\` (label,
  provider and model only: the keys themselves are never exported), \`conversations.jsonl\`,
  \`messages.jsonl\` (with citations), \`meetings.jsonl\`, \`meeting-turns.jsonl\`,
  \`meeting-decisions.jsonl\` (decision, positions, dissent), \`action-items.jsonl\`, \`tasks.jsonl\`,
  \`task-steps.jsonl\` (every revision's steps), \`documents.jsonl\` (metadata), \`llm-calls.jsonl\`
  (usage records, no content), \`audit-events.jsonl\` (the hash chain) and
  \`audit-verification.json\` (the chain recomputed when the archive was built).
- \`documents/<document id>/<file name>\`: each document's original file, byte for byte (its
  SHA-256 is also in documents.jsonl, as uploaded).

A user export holds the same files, restricted to that member: their profile, membership, own
conversations, the meetings they started, the tasks they created, the documents they uploaded and
the audit events they caused.

## Verifying

For every entry of \`files\` in manifest.json, the SHA-256 of the file must equal \`sha256\`
(for example \`sha256sum documents/*/*\` on Linux, \`shasum -a 256\` on macOS). Each line of a
.jsonl file is one object; the number of lines equals the type's count in \`counts\`.

## Never included

Secrets are never exported: provider API keys (nor their ciphertexts), password hashes, session
and sign-in tokens, invitation tokens, encryption keys.
`;
