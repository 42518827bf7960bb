import { ZStreamEvent, type StreamEvent, type TurnRequest } from "./types";

/** A chat request refused before any answer started (HTTP error), with the server's stable reason. */
export class ChatRequestError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(`chat request failed: ${status} ${reason}`);
    this.name = "ChatRequestError";
  }
}

/** The stream ended without a `done` or `error` event (connection lost mid-answer). */
export class StreamCutError extends Error {
  constructor() {
    super("the answer stream ended early");
    this.name = "StreamCutError";
  }
}

export const chatTurnUrl = (tenantSlug: string) => `/api/t/${encodeURIComponent(tenantSlug)}/chat`;

const reasonForStatus = (status: number) =>
  status === 401 ? "unauthorized" : status === 403 ? "forbidden" : status === 404 ? "notFound" : status === 413 ? "payloadTooLarge" : status === 429 ? "rateLimited" : status === 400 ? "invalidInput" : "generic";

/** The refusal a non-2xx answer carries: the server's `error.reason` when it sent one, else one from the status. */
export const chatErrorFrom = async (res: Response): Promise<ChatRequestError> => {
  const retryAfter = Number(res.headers.get("retry-after"));
  let reason = reasonForStatus(res.status);
  try {
    const body = (await res.json()) as { error?: { reason?: unknown } };
    if (typeof body.error?.reason === "string" && body.error.reason) reason = body.error.reason;
  } catch {
    // not JSON (e.g. a proxy's error page): the status decides
  }
  return new ChatRequestError(res.status, reason, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
};

/**
 * Reads an NDJSON body and calls `onEvent` per valid event, in order. Lines
 * may arrive split across chunks; lines that are not JSON or not a known event
 * are skipped rather than trusted. Rejects with StreamCutError when the body
 * ends before a `done` or `error` event.
 */
export async function readChatStream(body: ReadableStream<Uint8Array>, onEvent: (e: StreamEvent) => void): Promise<void> {
  const reader = body.getReader();
  // stream: true keeps a multi-byte character cut between chunks for the next one.
  const decoder = new TextDecoder();
  let buffered = "";
  let finished = false;
  const handleLine = (line: string) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return;
    }
    const parsed = ZStreamEvent.safeParse(json);
    if (!parsed.success) return;
    if (parsed.data.type === "done" || parsed.data.type === "error") finished = true;
    onEvent(parsed.data);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let nl = buffered.indexOf("\n");
    while (nl >= 0) {
      handleLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf("\n");
    }
  }
  handleLine(buffered + decoder.decode());
  if (!finished) throw new StreamCutError();
}

/**
 * Runs one chat turn: POSTs the request and calls `onEvent` for each NDJSON
 * event as it arrives. Resolves after a `done` or `error` event; rejects with
 * ChatRequestError (refused before streaming), StreamCutError (the stream ended
 * early), the fetch's AbortError (the user stopped) or a TypeError (network).
 */
export async function runChatTurn(tenantSlug: string, request: TurnRequest, opts: { signal: AbortSignal; onEvent: (e: StreamEvent) => void }): Promise<void> {
  const res = await fetch(chatTurnUrl(tenantSlug), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/x-ndjson" },
    body: JSON.stringify(request),
    signal: opts.signal,
    cache: "no-store",
  });
  if (!res.ok || !res.body) throw await chatErrorFrom(res);
  await readChatStream(res.body, opts.onEvent);
}

export const isAbortError = (err: unknown) => err instanceof DOMException && err.name === "AbortError";
