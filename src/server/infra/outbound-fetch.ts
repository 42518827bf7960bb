import "server-only";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { env } from "~/env";

/*
 * Outbound HTTP to URLs a tenant chose (BYOK provider base URLs): the server-side
 * request forgery defence (OWASP ASVS v5 1.3.6, 12.x; CWE-918).
 *
 * A tenant admin must not be able to make this server talk to its own network
 * (cloud metadata at 169.254.169.254, 10.x, loopback services, IPv6 ULA, …).
 * The check runs where the socket is opened, in the undici connector, so:
 *  - the address checked is the address connected to (a custom `lookup` filters
 *    the DNS answer and hands exactly those addresses to net.connect), which
 *    defeats DNS rebinding between a check and the connection;
 *  - every redirect hop goes through the same connector and is checked again;
 *  - a name that resolves to ANY non-public address is refused as a whole, so a
 *    mixed answer cannot be used to reach the private one later.
 *
 * Policy (OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS):
 *  - false (hosted default): https only, public addresses only;
 *  - true (single-user local install, `npm start` sets it): any https address,
 *    and plain http to this machine (loopback) only, e.g. Ollama on localhost.
 */

/** Raised when a destination is refused by the policy. Never carries a URL's path or query. */
export class OutboundBlockedError extends Error {
  readonly code = "ERR_OUTBOUND_BLOCKED";
  constructor(
    message: string,
    /** The host name or address that was refused. */
    readonly host: string,
  ) {
    super(message);
    this.name = "OutboundBlockedError";
  }
}

/** The OutboundBlockedError in an error's cause chain (fetch and the AI SDK wrap errors), or null. */
export const findOutboundBlockedError = (err: unknown): OutboundBlockedError | null => {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (current instanceof OutboundBlockedError) return current;
    current = typeof current === "object" && "cause" in current ? current.cause : null;
  }
  return null;
};

export const isOutboundBlocked = (err: unknown): boolean => findOutboundBlockedError(err) !== null;

// --- Address classification --------------------------------------------------

/** IPv4 ranges that are not the public internet (IANA special-purpose registry). */
const V4_NON_PUBLIC: [string, number][] = [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ["10.0.0.0", 8], // RFC 1918
  ["100.64.0.0", 10], // carrier-grade NAT (RFC 6598)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12], // RFC 1918
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16], // RFC 1918
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, including 255.255.255.255 broadcast
];

/**
 * Blocks inside IPv6 global unicast (2000::/3) that are still not public.
 * Everything outside 2000::/3 is refused outright: ::, ::1, IPv4-compatible
 * ::/96, fc00::/7 unique-local, fe80::/10 link-local, fec0::/10 site-local,
 * ff00::/8 multicast, 100::/64 discard, 64:ff9b:1::/48 local NAT64, …
 */
const V6_NON_PUBLIC_GLOBAL: [string, number][] = [
  ["2001::", 23], // IETF protocol assignments, incl. Teredo 2001::/32 (embeds an IPv4 address)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4 (embeds an IPv4 address)
  ["3fff::", 20], // documentation
];

const v4Blocked = new BlockList();
for (const [net, prefix] of V4_NON_PUBLIC) v4Blocked.addSubnet(net, prefix, "ipv4");
const v6Blocked = new BlockList();
for (const [net, prefix] of V6_NON_PUBLIC_GLOBAL) v6Blocked.addSubnet(net, prefix, "ipv6");

const stripBrackets = (host: string) => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host);

/** The eight 16-bit groups of a valid IPv6 address (zone id dropped, embedded dotted quad folded in). */
const v6Groups = (address: string): number[] | null => {
  let a = address.toLowerCase();
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(2).map(Number) as [number, number, number, number];
    a = `${dotted[1]}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const halves = a.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0) return null;
  const groups = [...head, ...Array<string>(fill).fill("0"), ...tail].map((h) => (/^[0-9a-f]{1,4}$/.test(h) ? parseInt(h, 16) : NaN));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : null;
};

const v4FromGroups = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/**
 * True when an IP address is anything but a public unicast address: loopback,
 * private, link-local, CGNAT, unique-local, unspecified, multicast, broadcast,
 * reserved or documentation ranges, and IPv4-mapped / NAT64 forms of those.
 * Anything that is not an IP address at all counts as non-public.
 */
export const isNonPublicAddress = (address: string): boolean => {
  const ip = stripBrackets(address);
  const family = isIP(ip);
  if (family === 4) return v4Blocked.check(ip, "ipv4");
  if (family !== 6) return true;
  const g = v6Groups(ip);
  if (!g) return true;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  // IPv4-mapped (::ffff:a.b.c.d) and well-known NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address inside: judge that.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return isNonPublicAddress(v4FromGroups(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isNonPublicAddress(v4FromGroups(g6, g7));
  if ((g0 & 0xe000) !== 0x2000) return true;
  return v6Blocked.check(g.map((x) => x.toString(16)).join(":"), "ipv6");
};

/** 127.0.0.0/8, ::1 and their IPv4-mapped form: this machine. */
export const isLoopbackAddress = (address: string): boolean => {
  const ip = stripBrackets(address);
  const family = isIP(ip);
  if (family === 4) return ip.startsWith("127.");
  if (family !== 6) return false;
  const g = v6Groups(ip);
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  return g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff && g[6]! >> 8 === 127;
};

const isLocalhostName = (host: string) => {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost");
};

/**
 * True when a URL host is, without any DNS lookup, known not to be public:
 * "localhost" (and *.localhost) or a literal non-public IP. For early,
 * readable validation; names that resolve privately are caught at connect time.
 */
export const isNonPublicHostLiteral = (hostname: string): boolean => {
  const host = stripBrackets(hostname);
  if (isIP(host)) return isNonPublicAddress(host);
  return isLocalhostName(host);
};

// --- Policy and the guarded fetch ----------------------------------------------

export type OutboundPolicy = {
  /** Allow private/loopback/link-local destinations (single-user local installs only). */
  allowPrivateAddresses: boolean;
  /** Test seam: allow plain http to any host that passes the address check. */
  allowPlainHttp?: boolean;
  /** Test seam: the address classifier (default isNonPublicAddress). */
  isBlockedAddress?: (address: string) => boolean;
  /** Test seam: host name resolution (default dns.lookup). */
  lookup?: (hostname: string, options: LookupOptions & { all: true }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
};

/** The env policy: OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS (default false). */
export const privateProviderUrlsAllowed = (): boolean => env.OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS;

/** Same signature as the global fetch (what the AI SDK's `fetch` option takes). */
export type FetchLike = typeof globalThis.fetch;

const defaultLookup: NonNullable<OutboundPolicy["lookup"]> = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/** Builds the checks for one policy: what a protocol may reach, per resolved address. */
const policyChecks = (policy: OutboundPolicy) => {
  const blocked = policy.isBlockedAddress ?? isNonPublicAddress;
  /** A refusal decided by the protocol alone, before any lookup. */
  const protocolRefusal = (protocol: string): string | null => {
    if (protocol === "https:") return null;
    if (protocol !== "http:") return `the ${protocol} protocol is not allowed`;
    if (policy.allowPlainHttp || policy.allowPrivateAddresses) return null;
    return "plain http is not allowed; use https";
  };
  /** A refusal for connecting to `address` over `protocol`. */
  const addressRefusal = (protocol: string, address: string): string | null => {
    if (protocol === "http:" && !policy.allowPlainHttp) {
      return isLoopbackAddress(address) ? null : `plain http is allowed only to this machine, not to ${address}`;
    }
    if (policy.allowPrivateAddresses) return null;
    return blocked(address) ? `${address} is not a public address` : null;
  };
  return { protocolRefusal, addressRefusal };
};

/**
 * A fetch that refuses non-public destinations under `policy` (see the top of
 * this file). Refusals reject with an OutboundBlockedError. Redirects are
 * followed as fetch does, each hop checked again at connect time.
 *
 * Runs on undici's own fetch with a dedicated Agent: the request init is the
 * standard one (string bodies, Headers, AbortSignal); the Response has the
 * standard shape (status, headers, a web ReadableStream body).
 */
export const createGuardedFetch = (policy: OutboundPolicy): FetchLike => {
  const { protocolRefusal, addressRefusal } = policyChecks(policy);
  const resolve = policy.lookup ?? defaultLookup;

  // The lookup net.connect/tls.connect use: resolve every address, refuse if any is
  // disallowed, and hand over only the checked addresses (no second resolution).
  const guardedLookup =
    (protocol: string): LookupFunction =>
    (hostname, options, callback) => {
      resolve(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, "", 0);
        if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
        for (const a of addresses) {
          const refusal = addressRefusal(protocol, a.address);
          if (refusal) return callback(new OutboundBlockedError(`${hostname} resolves to a refused address: ${refusal}`, hostname), "", 0);
        }
        if (options.all) return callback(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    };

  const connectors: Record<string, buildConnector.connector> = {
    "https:": buildConnector({ lookup: guardedLookup("https:") }),
    "http:": buildConnector({ lookup: guardedLookup("http:") }),
  };
  const connect: buildConnector.connector = (opts, callback) => {
    const host = stripBrackets(opts.hostname);
    // net.connect skips `lookup` for IP literals, so those are judged here.
    const refusal = protocolRefusal(opts.protocol) ?? (isIP(host) ? addressRefusal(opts.protocol, host) : null);
    if (refusal) return callback(new OutboundBlockedError(`refused to connect to ${host}: ${refusal}`, host), null);
    connectors[opts.protocol]!(opts, callback);
  };
  const agent = new Agent({ connect });

  const guarded = async (input: Parameters<FetchLike>[0], init?: Parameters<FetchLike>[1]): Promise<Response> => {
    const isRequest = typeof input === "object" && !(input instanceof URL);
    const url = new URL(isRequest ? input.url : String(input));
    // Fail fast, without a connection attempt, when the URL alone is refused.
    const early = protocolRefusal(url.protocol) ?? (isIP(stripBrackets(url.hostname)) ? addressRefusal(url.protocol, stripBrackets(url.hostname)) : null);
    if (early) throw new OutboundBlockedError(`refused to connect to ${url.hostname}: ${early}`, url.hostname);
    const requestInit = isRequest
      ? { method: input.method, headers: input.headers, body: input.body, signal: input.signal, redirect: input.redirect, duplex: "half", ...init }
      : init;
    try {
      const res = await undiciFetch(url, { ...(requestInit as object), dispatcher: agent } as Parameters<typeof undiciFetch>[1]);
      return res as unknown as Response;
    } catch (err) {
      // fetch reports connector errors as TypeError("fetch failed", { cause }); surface the refusal itself.
      throw findOutboundBlockedError(err) ?? err;
    }
  };
  return guarded as FetchLike;
};

let envFetch: FetchLike | null = null;

/** The guarded fetch under the env policy (OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS). */
export const guardedFetch: FetchLike = (input, init) => {
  envFetch ??= createGuardedFetch({ allowPrivateAddresses: privateProviderUrlsAllowed() });
  return envFetch(input, init);
};
