import { NonRetriableError } from "inngest";
import { env } from "~/env";
import { knowledgeDocumentIngest } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { embedderFromEnv } from "~/server/services/knowledge/embeddings";
import { isKnowledgeError, isKnowledgeErrorReason } from "~/server/services/knowledge/errors";
import { embedChunkRange, embeddingPlan, extractAndIndex, markIngestionFailed } from "~/server/services/knowledge/ingest";
import { vectorStoreAvailable } from "~/server/services/knowledge/vector-store";
import { stopIfSuspended } from "./tenant-guard";


/**
 * Background ingestion of one uploaded (or re-indexed) document:
 *   extract-and-index  mark processing, load the original, detect the kind by
 *                      content, extract, chunk, and replace the chunks + mark
 *                      ready in one transaction (see extractAndIndex for why
 *                      extract and index share a step: the text is megabytes
 *                      and step outputs are memoized as JSON);
 *   embed-<n>          only when an embedder is configured and the database has
 *                      pgvector: one step per batch of chunks, so a provider
 *                      failure retries that batch only.
 * Steps return counts, never text. A run for an indexVersion that is no longer
 * the document's (re-indexed or deleted since) is stale and changes nothing.
 *
 * A bad file (KnowledgeError) fails at once as a NonRetriableError carrying the
 * reason; anything else is retried (3 times). onFailure then marks the document
 * failed with that reason (or `ingestionFailed`); the dead letter is written by
 * the engine and counted by the job telemetry middleware.
 *
 * A suspended tenant's documents are not processed: each step first checks the
 * tenant (assertTenantActive) and stops the run for good with the reason
 * `tenantSuspended`, which onFailure stores on the document; after the tenant
 * is reactivated, a re-index (or replaying the dead letter) runs it again.
 *
 * Concurrency: at most 2 runs per tenant (listed first: the local executor's fair
 * share works on the first key) and KNOWLEDGE_INGEST_CONCURRENCY overall.
 */
export const ingestDocument = inngest.createFunction(
  {
    id: "knowledge-ingest-document",
    name: "Ingest knowledge document",
    triggers: [knowledgeDocumentIngest],
    retries: 3,
    concurrency: [{ key: "event.data.tenantId", limit: 2 }, { limit: env.KNOWLEDGE_INGEST_CONCURRENCY }],
    onFailure: async ({ event, error, step }) => {
      const { tenantId, documentId, indexVersion } = event.data.event.data;
      const reason = isKnowledgeErrorReason(error.message) || error.message === "tenantSuspended" ? error.message : "ingestionFailed";
      await step.run("mark-failed", () => markIngestionFailed({ tenantId, documentId, indexVersion }, reason));
    },
  },
  async ({ event, step }) => {
    const target = { tenantId: event.data.tenantId, documentId: event.data.documentId, indexVersion: event.data.indexVersion };

    const indexed = await step.run("extract-and-index", async () => {
      await stopIfSuspended(target.tenantId);
      try {
        return await extractAndIndex(target);
      } catch (err) {
        if (isKnowledgeError(err)) throw new NonRetriableError(err.reason, { cause: err });
        throw err;
      }
    });
    if (indexed.status === "stale") return { status: "stale" as const };

    // Configuration, and a per-process cached probe of the database: the same answer on every re-entry.
    const embedder = embedderFromEnv();
    if (!embedder || !(await vectorStoreAvailable())) return { status: "ready" as const, chunkCount: indexed.chunkCount, embedded: 0 };

    let embedded = 0;
    for (const [i, range] of embeddingPlan(indexed.chunkCount, env.EMBEDDINGS_BATCH_SIZE).entries()) {
      const res = await step.run(`embed-${i}`, async () => {
        await stopIfSuspended(target.tenantId);
        return embedChunkRange(target, range, embedder);
      });
      if (res.stale) return { status: "stale" as const };
      embedded += res.embedded;
    }
    return { status: "ready" as const, chunkCount: indexed.chunkCount, embedded };
  },
);
