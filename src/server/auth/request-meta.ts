import { env } from "~/env";
import type { RequestMeta } from "~/server/services/context";

// Set by scripts/lib/peer-address.mjs, preloaded into the Next server by npm start:
// the TCP peer of the request, written over anything the client sent under that name.
const PEER_HEADER = "x-ocsuite-peer";
const peerHeaderTrusted = () => (globalThis as Record<symbol, unknown>)[Symbol.for("ocsuite.peerAddressHeader")] === true;

/** The socket address of the request, or null when the server was started without the peer-address preload. */
export const peerAddressFrom = (headers: Headers): string | null => (peerHeaderTrusted() ? headers.get(PEER_HEADER)?.trim() || null : null);

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export const isLoopbackAddress = (address: string | null): boolean => {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
};

/**
 * The client IP, for per-IP rate limits and the audit trail. With no trusted
 * proxy (hops 0, the default) X-Forwarded-For is whatever the client typed, so
 * only the socket address counts. Behind N proxies that each append the address
 * they received the request from, the Nth entry from the right is the one the
 * outermost proxy saw; anything further left is the client's claim. Next does
 * not append the socket address itself (it only fills X-Forwarded-For when it is
 * missing), so "from the right" counts only what the proxies wrote.
 */
export const clientIpFrom = (headers: Headers, hops: number): string | null => {
  const peer = peerAddressFrom(headers);
  if (hops <= 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request did not come through all of them.
  return forwarded.length >= hops ? forwarded[forwarded.length - hops]! : peer;
};

/** Client IP and user agent of a request (TRUSTED_PROXY_HOPS: how many proxies in front append to X-Forwarded-For). */
export const requestMetaFrom = (headers: Headers): RequestMeta => ({
  ip: clientIpFrom(headers, env.TRUSTED_PROXY_HOPS),
  userAgent: headers.get("user-agent"),
});
