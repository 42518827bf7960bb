import { describe, expect, it } from "vitest";
import { chatErrorFrom, ChatRequestError, readChatStream, StreamCutError } from "./stream";
import type { StreamEvent } from "./types";

const message = (over: Record<string, unknown> = {}) => ({
  id: "m2",
  role: "assistant",
  content: "Hello world",
  status: "complete",
  errorReason: null,
  provider: "ocsuite-offline",
  model: "ocsuite-offline-1",
  offline: true,
  inputTokens: 3,
  outputTokens: 2,
  timeToFirstTokenMs: 12,
  createdAt: "2026-11-25T10:00:00.000Z",
  ...over,
});

const start = {
  type: "start",
  conversation: { id: "c1", title: "Hi", personaKey: "cfo" },
  userMessage: message({ id: "m1", role: "user", content: "Hi", provider: null, model: null, offline: false, inputTokens: null, outputTokens: null, timeToFirstTokenMs: null }),
  assistantMessageId: "m2",
  provider: "ocsuite-offline",
  model: "ocsuite-offline-1",
  offline: true,
};

/** A body delivered in the given chunks (as a network would split it). */
const body = (chunks: string[]) => {
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(enc.encode(chunk));
      c.close();
    },
  });
};

const collect = async (chunks: string[]) => {
  const events: StreamEvent[] = [];
  const outcome = await readChatStream(body(chunks), (e) => events.push(e)).then(
    () => null,
    (err: unknown) => err,
  );
  return { events, outcome };
};

describe("readChatStream", () => {
  it("reassembles lines split across chunks, including a multi-byte character cut in half", async () => {
    const text = JSON.stringify({ type: "delta", text: "Año €" });
    const bytes = new TextEncoder().encode(`${JSON.stringify(start)}\n${text}\n`);
    const cut = bytes.length - 5; // the line ends with "€" (3 bytes) and `"}\n`: this cuts after the first byte of "€"
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 17));
        c.enqueue(bytes.slice(17, cut));
        c.enqueue(bytes.slice(cut));
        c.enqueue(new TextEncoder().encode(JSON.stringify({ type: "done", message: message(), conversation: { inputTokens: 3, outputTokens: 2 } })));
        c.close();
      },
    });
    const events: StreamEvent[] = [];
    await readChatStream(stream, (e) => events.push(e));
    expect(events.map((e) => e.type)).toEqual(["start", "delta", "done"]);
    expect(events[1]).toEqual({ type: "delta", text: "Año €" });
    const done = events[2] as Extract<StreamEvent, { type: "done" }>;
    expect(done.message.createdAt).toBeInstanceOf(Date);
    expect(done.message.createdAt.toISOString()).toBe("2026-11-25T10:00:00.000Z");
  });

  it("skips lines that are not JSON or not a known event, and ends on an error event", async () => {
    const { events, outcome } = await collect([
      `${JSON.stringify(start)}\n`,
      "not json\n",
      `${JSON.stringify({ type: "delta", text: 42 })}\n`,
      `${JSON.stringify({ type: "surprise" })}\n`,
      `${JSON.stringify({ type: "delta", text: "partial" })}\n`,
      `${JSON.stringify({ type: "error", reason: "streamInterrupted", message: message({ status: "failed", errorReason: "streamInterrupted", content: "partial" }) })}\n`,
    ]);
    expect(outcome).toBeNull();
    expect(events.map((e) => e.type)).toEqual(["start", "delta", "error"]);
    expect(events[2]).toMatchObject({ reason: "streamInterrupted", message: { status: "failed", content: "partial" } });
  });

  it("carries the answer's citations on start and done; an unreadable list becomes no citations", async () => {
    const citation = { n: 1, chunkId: "k1", documentId: "d1", title: "Travel policy", page: 3, heading: "Hotels", text: "Hotels up to 150 euros." };
    const { events } = await collect([
      `${JSON.stringify({ ...start, citations: [citation] })}\n`,
      `${JSON.stringify({ type: "done", message: message({ content: "Up to 150 euros [1].", citations: [citation] }), conversation: { inputTokens: 3, outputTokens: 2 } })}\n`,
    ]);
    expect(events[0]).toMatchObject({ type: "start", citations: [citation] });
    expect(events[1]).toMatchObject({ type: "done", message: { citations: [citation] } });

    const odd = await collect([`${JSON.stringify(start)}\n`, `${JSON.stringify({ type: "done", message: message({ citations: [{ n: "one" }] }), conversation: { inputTokens: 1, outputTokens: 1 } })}\n`]);
    expect(odd.events[0]).toMatchObject({ type: "start", citations: [] });
    expect(odd.events[1]).toMatchObject({ type: "done", message: { content: "Hello world", citations: [] } });
  });

  it("rejects with StreamCutError when the body ends before done/error", async () => {
    const { events, outcome } = await collect([`${JSON.stringify(start)}\n`, `${JSON.stringify({ type: "delta", text: "Hel" })}\n`]);
    expect(events).toHaveLength(2);
    expect(outcome).toBeInstanceOf(StreamCutError);
  });
});

describe("chatErrorFrom", () => {
  it("takes the server's reason and Retry-After", async () => {
    const res = new Response(JSON.stringify({ error: { code: "TOO_MANY_REQUESTS", reason: "rateLimited", message: "slow down" } }), {
      status: 429,
      headers: { "content-type": "application/json", "retry-after": "17" },
    });
    const err = await chatErrorFrom(res);
    expect(err).toBeInstanceOf(ChatRequestError);
    expect({ status: err.status, reason: err.reason, retryAfterSeconds: err.retryAfterSeconds }).toEqual({ status: 429, reason: "rateLimited", retryAfterSeconds: 17 });
  });

  it("falls back to a reason from the status when the body is not JSON", async () => {
    expect((await chatErrorFrom(new Response("<html>Bad gateway</html>", { status: 409 }))).reason).toBe("generic");
    expect((await chatErrorFrom(new Response("nope", { status: 404 }))).reason).toBe("notFound");
    expect((await chatErrorFrom(new Response("", { status: 413 }))).reason).toBe("payloadTooLarge");
    expect((await chatErrorFrom(new Response("", { status: 401 }))).retryAfterSeconds).toBeNull();
  });
});
