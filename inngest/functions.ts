/** Every Inngest function the app serves (web at /api/inngest, and the worker fleet). */
import { dataExport, expireDataExports } from "./jobs/data-export";
import { ingestDocument } from "./jobs/ingest-document";
import { replayDeadLetter } from "./jobs/replay-dead-letter";
import { retentionPurge, scheduledRetentionPurge } from "./jobs/retention-purge";
import { rotateDataKey } from "./jobs/rotate-data-key";
import { rotateMasterKey } from "./jobs/rotate-master-key";
import { runMeeting } from "./jobs/run-meeting";
import { runTask } from "./jobs/run-task";
import { scheduledKeyRotation } from "./jobs/scheduled-key-rotation";
import { scheduledWorkspacePurge, workspacePurge } from "./jobs/workspace-purge";
import { heartbeat } from "./system/heartbeat";

export const functions = [heartbeat, replayDeadLetter, ingestDocument, runMeeting, runTask, rotateDataKey, rotateMasterKey, scheduledKeyRotation, scheduledRetentionPurge, retentionPurge, scheduledWorkspacePurge, workspacePurge, dataExport, expireDataExports];
