// The client IP behind the per-IP sign-in limit and the audit trail: it must come
// from the TCP peer (scripts/lib/peer-address.mjs records it before Next sees the
// request), and X-Forwarded-For only counts for the hops an operator says they run.
// Real HTTP: a Node server with the same preload `npm start` gives `next start`.
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../scripts/lib/peer-address.mjs";
import { clientIpFrom, isLoopbackAddress, peerAddressFrom } from "~/server/auth/request-meta";

let server: http.Server;
// An address of this machine that is not loopback, to reach the server as another host would.
const externalAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
let port = 0;

/** Echoes what the app would derive from this request, for hops 0 and 1. */
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ peer: peerAddressFrom(headers), hops0: clientIpFrom(headers, 0), hops1: clientIpFrom(headers, 1), hops2: clientIpFrom(headers, 2) }));
  });
  await new Promise<void>((r) => server.listen(0, "0.0.0.0", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const ask = async (host: string, headers: Record<string, string> = {}) =>
  (await (await fetch(`http://${host}:${port}/`, { headers })).json()) as { peer: string | null; hops0: string | null; hops1: string | null; hops2: string | null };

describe("client IP", () => {
  it("with no trusted proxy (hops 0) ignores X-Forwarded-For and uses the socket address", async () => {
    const a = await ask("127.0.0.1", { "x-forwarded-for": "198.51.100.1" });
    const b = await ask("127.0.0.1", { "x-forwarded-for": "198.51.100.2" });
    expect(a.hops0).toBe("127.0.0.1");
    expect(b.hops0).toBe(a.hops0);
  });

  it("a client cannot claim a peer address with the internal header", async () => {
    const r = await ask("127.0.0.1", { "x-ocsuite-peer": "203.0.113.9" });
    expect(r.peer).toBe("127.0.0.1");
  });

  it("with one trusted proxy takes the rightmost X-Forwarded-For entry (the one the proxy appended)", async () => {
    const r = await ask("127.0.0.1", { "x-forwarded-for": "10.0.0.66, 198.51.100.7" });
    expect(r.hops1).toBe("198.51.100.7");
    expect(r.hops2).toBe("10.0.0.66");
  });

  it("with more hops than entries falls back to the socket address", async () => {
    const r = await ask("127.0.0.1");
    expect(r.hops2).toBe("127.0.0.1");
  });

  it("sees a non-loopback peer as such", async () => {
    expect(externalAddress).toBeDefined();
    const r = await ask(externalAddress!, { "x-forwarded-for": "127.0.0.1", "x-ocsuite-peer": "127.0.0.1" });
    expect(r.peer).toBe(externalAddress);
    expect(isLoopbackAddress(r.peer)).toBe(false);
    expect(isLoopbackAddress("127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::1")).toBe(true);
    expect(isLoopbackAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopbackAddress(null)).toBe(false);
  });
});
