import "server-only";
import { knowledgeLimits } from "~/server/services/knowledge/documents";

/** What the upload panel needs to know up front (the server enforces it regardless). */
export const uploadLimits = (): { maxFileBytes: number } => ({ maxFileBytes: knowledgeLimits().maxFileBytes });
