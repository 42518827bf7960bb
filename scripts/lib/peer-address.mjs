// Preloaded into `next start` / `next dev` by scripts/start.mjs (node --import).
// Next 16 hands route handlers and pages a Web Request without the socket, and
// only fills X-Forwarded-For from the socket when the client sent none
// (`req.headers['x-forwarded-for'] ??= socket.remoteAddress` in
// next/dist/server/base-server.js), so a client-sent value hides the real peer.
// Before Next sees a request we therefore record the TCP peer in our own header,
// replacing anything the client sent under that name; src/server/auth/request-meta.ts
// trusts it only when this module has marked the process.
import http from "node:http";

const PEER_HEADER = "x-ocsuite-peer";
/** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[Symbol.for("ocsuite.peerAddressHeader")] = true;

const emit = http.Server.prototype.emit;
/** @type {(this: http.Server, event: string | symbol, ...args: any[]) => boolean} */
http.Server.prototype.emit = function (event, ...args) {
  const req = /** @type {http.IncomingMessage | undefined} */ (args[0]);
  if (event === "request" && req?.headers) {
    const peer = req.socket?.remoteAddress;
    if (peer) req.headers[PEER_HEADER] = peer;
    else delete req.headers[PEER_HEADER];
  }
  return Reflect.apply(emit, this, [event, ...args]);
};
