import "server-only";

/**
 * Reads a request body up to `maxBytes`. Returns null when the body is larger,
 * checking Content-Length first and counting bytes for chunked bodies, so an
 * oversized request is refused before it is buffered whole.
 */
export const readBodyWithLimit = async (req: Request, maxBytes: number): Promise<Uint8Array | null> => {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return null;
  return readStreamWithLimit(req.body, maxBytes);
};

/** Reads a byte stream to the end, or returns null (and cancels it) once it exceeds `maxBytes`. */
export const readStreamWithLimit = async (stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | null> => {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
};

export const jsonError = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
