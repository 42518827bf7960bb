import "server-only";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { retrievePassages, type RetrievedPassage, type RetrieveOptions } from "../knowledge/retrieval";
import type { ContextPassage } from "../personas/templates";
import { clip } from "./clip";

/*
 * Grounding: the workspace's knowledge passages a persona works from, numbered
 * as the model cites them ([n]). Grounding is an improvement, not a
 * precondition: a failed or slow search means working without documents
 * (logged; the caller decides whether to count or mention it), never failing.
 */

/** Retrieval slower than this is abandoned: the work starts without context rather than late. */
export const RETRIEVAL_TIMEOUT_MS = 5_000;
/** Per passage, what the model (and a saved citation) gets of its text. Chunks target 1,200 characters, so this only cuts outliers. */
export const PASSAGE_TEXT_CHARS = 1_500;

/** A retrieved passage as the model sees it and as an answer cites it. */
export type GroundingPassage = { n: number; chunkId: string; documentId: string; title: string; page: number | null; heading: string | null; text: string };

/** Test seams of the search (another database, no embedder, one path only). */
export type RetrievalTuning = Pick<RetrieveOptions, "db" | "embedder" | "mode">;

/** "Finance policy, p. 3": the source line the model (and the offline model) cites a passage by. */
export const passageSource = (p: { title: string; page: number | null }) => (p.page !== null ? `${p.title}, p. ${p.page}` : p.title);

/** The retrieved passages numbered from 1, their text trimmed and clipped. */
export const numberPassages = (found: readonly RetrievedPassage[], maxChars = PASSAGE_TEXT_CHARS): GroundingPassage[] =>
  found.map((p, i) => ({ n: i + 1, chunkId: p.chunkId, documentId: p.documentId, title: p.documentTitle, page: p.page, heading: p.heading, text: clip(p.text.trim(), maxChars) }));

/** The passages as the gateway's context block (appended to the system prompt). */
export const contextOf = (passages: readonly { title: string; page: number | null; text: string }[]): ContextPassage[] =>
  passages.map((p) => ({ title: passageSource(p), text: p.text }));

/** "[n] source" per passage: a Sources list, or a step's summary of what was found. */
export const sourceLines = (passages: readonly { n: number; title: string; page: number | null }[]): string[] => passages.map((p) => `[${p.n}] ${passageSource(p)}`);

export type Grounding = { passages: GroundingPassage[]; failure: null | "timeout" | "error" };

export type RetrieveWithTimeoutOptions = {
  tenantId: string;
  query: string;
  limit: number;
  /** What the passages are for (chat, meeting, task: a fixed word per caller): the log line and ocsuite.retrieval.failures' ocsuite.purpose. */
  purpose: string;
  timeoutMs?: number;
  maxChars?: number;
  retrieval?: RetrievalTuning;
};

/** The tenant's passages for the query, or none (with the reason) when search fails or exceeds the timeout. */
export const retrieveWithTimeout = async (opts: RetrieveWithTimeoutOptions): Promise<Grounding> => {
  const timeoutMs = opts.timeoutMs ?? RETRIEVAL_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    // A pending search must not keep a finished process (a script, a test) alive.
    timer.unref?.();
  });
  const log = { tenantId: opts.tenantId, purpose: opts.purpose };
  try {
    const found = await Promise.race([retrievePassages({ tenantId: opts.tenantId }, opts.query, { ...opts.retrieval, limit: opts.limit }), timeout]);
    if (found === "timeout") {
      logger.warn({ ...log, timeoutMs }, "retrieval timed out; working without documents");
      metrics.retrievalFailures.add(1, { "ocsuite.purpose": opts.purpose, "error.type": "timeout" });
      return { passages: [], failure: "timeout" };
    }
    return { passages: numberPassages(found, opts.maxChars), failure: null };
  } catch (err) {
    logger.warn({ ...log, err }, "retrieval failed; working without documents");
    metrics.retrievalFailures.add(1, { "ocsuite.purpose": opts.purpose, "error.type": "error" });
    return { passages: [], failure: "error" };
  } finally {
    clearTimeout(timer);
  }
};
