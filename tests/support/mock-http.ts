/**
 * What every local protocol server in tests/support shares: reading a request
 * body, word-chunking a reply for streaming, and listening on a free loopback
 * port with a close() that does not wait for kept-alive or half-streamed
 * connections (a test that drops a stream mid-way leaves one open).
 */
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const readBodyBytes = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

export const readBody = async (req: IncomingMessage) => (await readBodyBytes(req)).toString("utf8");

/** Splits text into chunks that keep their separating whitespace ("Hello", " from", …). */
export const wordChunks = (text: string) => text.match(/\s*\S+/g) ?? [];

/** Listens on 127.0.0.1:<free port>; returns the origin and a close() that cuts open connections. */
export const listenLocal = async (server: Server): Promise<{ origin: string; close: () => Promise<void> }> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
