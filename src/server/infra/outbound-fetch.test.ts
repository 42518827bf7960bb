import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedFetch, guardedFetch, isLoopbackAddress, isNonPublicAddress, isNonPublicHostLiteral, OutboundBlockedError, type OutboundPolicy } from "./outbound-fetch";

// Real local HTTP servers; "public" is simulated with the policy's test seams
// (a classifier that treats 127.0.0.1 as public, an injected resolver), so the
// refusals are exercised without internet access.

type Target = { server: Server; port: number; connections: number; requests: string[]; close: () => Promise<void> };

const listen = async (host: string, handler: (path: string, res: ServerResponse) => void = (_p, res) => res.end("ok")): Promise<Target> => {
  const t = { connections: 0, requests: [] as string[] } as Target;
  t.server = createServer((req, res) => {
    t.requests.push(req.url ?? "");
    handler(req.url ?? "", res);
  });
  t.server.on("connection", () => t.connections++);
  await new Promise<void>((r) => t.server.listen(0, host, r));
  t.port = (t.server.address() as AddressInfo).port;
  t.close = () =>
    new Promise<void>((r) => {
      t.server.closeAllConnections();
      t.server.close(() => r());
    });
  return t;
};

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected the request to be refused");
    },
    (err: unknown) => err,
  );

const strict = createGuardedFetch({ allowPrivateAddresses: false });
const permissive = createGuardedFetch({ allowPrivateAddresses: true });

/** A dual-stack server on :: that counts connections: proof that a refusal never connected. */
let local: Target;
beforeAll(async () => {
  local = await listen("::");
});
afterAll(async () => {
  await local.close();
});

describe("isNonPublicAddress", () => {
  const NON_PUBLIC = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.254",
    "0.0.0.0",
    "255.255.255.255",
    "224.0.0.1",
    "240.0.0.1",
    "192.0.2.10",
    "198.18.0.1",
    "::",
    "::1",
    "[::1]",
    "fd00::1",
    "fc00::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2001:db8::1",
    "2002:7f00:1::1",
    "100::1",
    "not-an-ip",
  ];
  const PUBLIC = ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"];

  it.each(NON_PUBLIC)("%s is not public", (a) => expect(isNonPublicAddress(a)).toBe(true));
  it.each(PUBLIC)("%s is public", (a) => expect(isNonPublicAddress(a)).toBe(false));

  it("knows loopback (for plain http on a local install) and host literals (for create-time validation)", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"].map(isLoopbackAddress)).toEqual([true, true, true, true]);
    expect(["10.0.0.1", "::2", "8.8.8.8"].map(isLoopbackAddress)).toEqual([false, false, false]);
    expect(["localhost", "LOCALHOST.", "ollama.localhost", "[::1]", "10.1.2.3", "169.254.169.254"].map(isNonPublicHostLiteral)).toEqual([true, true, true, true, true, true]);
    expect(["api.openai.com", "8.8.8.8", "[2606:4700:4700::1111]", "localhost.example.com"].map(isNonPublicHostLiteral)).toEqual([false, false, false, false]);
  });
});

describe("the strict policy (hosted default): https to public addresses only", () => {
  it.each([
    ["loopback IPv4", () => `https://127.0.0.1:${local.port}/v1/models`],
    ["localhost (resolved by the real resolver)", () => `https://localhost:${local.port}/v1/models`],
    ["loopback IPv6", () => `https://[::1]:${local.port}/v1/models`],
    ["IPv4-mapped loopback", () => `https://[::ffff:127.0.0.1]:${local.port}/v1/models`],
    ["the unspecified address", () => `https://0.0.0.0:${local.port}/v1/models`],
    ["RFC 1918", () => "https://10.0.0.1/v1/models"],
    ["cloud metadata (link-local)", () => "https://169.254.169.254/latest/meta-data/"],
    ["carrier-grade NAT", () => "https://100.64.0.1/v1"],
    ["IPv6 unique-local", () => "https://[fd00::1]/v1"],
  ])("refuses %s without connecting", async (_name, url) => {
    const before = local.connections;
    const err = await refusal(strict(url()));
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as OutboundBlockedError).message).toMatch(/not a public address/);
    expect(local.connections).toBe(before);
  });

  it("refuses plain http and non-http protocols before any lookup", async () => {
    const lookups: string[] = [];
    const f = createGuardedFetch({ allowPrivateAddresses: false, lookup: (h, _o, cb) => (lookups.push(h), cb(null, [{ address: "8.8.8.8", family: 4 }])) });
    expect(await refusal(f("http://llm.example.com/v1/models"))).toMatchObject({ name: "OutboundBlockedError", message: expect.stringContaining("plain http is not allowed") });
    expect(await refusal(f("file:///etc/passwd"))).toMatchObject({ name: "OutboundBlockedError", message: expect.stringContaining("file: protocol") });
    expect(lookups).toEqual([]);
  });

  it("refuses a name if ANY of its addresses is non-public (one public answer does not help)", async () => {
    const f = createGuardedFetch({
      allowPrivateAddresses: false,
      lookup: (_h, _o, cb) =>
        cb(null, [
          { address: "93.184.216.34", family: 4 },
          { address: "169.254.169.254", family: 4 },
        ]),
    });
    const err = await refusal(f("https://metadata.attacker.test/v1/models"));
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as OutboundBlockedError).message).toBe("metadata.attacker.test resolves to a refused address: 169.254.169.254 is not a public address");
    expect((err as OutboundBlockedError).host).toBe("metadata.attacker.test");
  });
});

describe("pinning and redirects (a local server stands in for a public one)", () => {
  // 127.0.0.1 counts as public here; every other address keeps the real classification.
  const asPublic = (a: string) => a !== "127.0.0.1" && isNonPublicAddress(a);
  let secret: Target; // on 127.0.0.2: must never be reached
  let front: Target; // on 127.0.0.1: the "public" provider, which redirects on some paths
  beforeAll(async () => {
    secret = await listen("127.0.0.2", (_p, res) => res.end("internal secret"));
    front = await listen("127.0.0.1", (path, res) => {
      if (path === "/to-secret") return void res.writeHead(302, { location: `http://127.0.0.2:${secret.port}/admin` }).end();
      if (path === "/to-secret-by-name") return void res.writeHead(307, { location: `http://internal.test:${secret.port}/admin` }).end();
      if (path === "/to-metadata") return void res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/iam" }).end();
      if (path === "/to-self") return void res.writeHead(302, { location: "/v1/models" }).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [{ id: "m1" }] }));
    });
  });
  afterAll(async () => {
    await front.close();
    await secret.close();
  });

  const names: Record<string, string> = { "public.test": "127.0.0.1", "internal.test": "127.0.0.2" };
  const policy = (lookups: string[] = []): OutboundPolicy => ({
    allowPrivateAddresses: false,
    allowPlainHttp: true,
    isBlockedAddress: asPublic,
    lookup: (h, _o, cb) => {
      lookups.push(h);
      const address = names[h];
      return address ? cb(null, [{ address, family: 4 }]) : cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: "ENOTFOUND" }), []);
    },
  });

  it("connects to the address it checked: one resolution per connection, no second lookup to rebind", async () => {
    const lookups: string[] = [];
    const res = await createGuardedFetch(policy(lookups))(`http://public.test:${front.port}/v1/models`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: [{ id: "m1" }] });
    expect(lookups).toEqual(["public.test"]);
    expect(front.requests.at(-1)).toBe("/v1/models");
  });

  it("follows a redirect to an allowed address", async () => {
    const res = await createGuardedFetch(policy())(`http://public.test:${front.port}/to-self`);
    expect(res.status).toBe(200);
    expect(res.redirected).toBe(true);
  });

  it.each([
    ["an internal IP", "/to-secret"],
    ["a name that resolves internally", "/to-secret-by-name"],
    ["cloud metadata", "/to-metadata"],
  ])("refuses a redirect from the allowed server to %s", async (_name, path) => {
    const err = await refusal(createGuardedFetch(policy())(`http://public.test:${front.port}${path}`));
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as Error).message).toMatch(/(127\.0\.0\.2|169\.254\.169\.254) is not a public address/);
    expect(front.requests.at(-1)).toBe(path);
    expect(secret.connections).toBe(0);
    expect(secret.requests).toEqual([]);
  });

  it("with redirect: manual, hands the 3xx back unfollowed", async () => {
    const res = await createGuardedFetch(policy())(`http://public.test:${front.port}/to-secret`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(secret.connections).toBe(0);
  });
});

describe("the permissive policy (single-user local install)", () => {
  it("reaches a real local server over http on loopback, by address and by name", async () => {
    for (const url of [`http://127.0.0.1:${local.port}/v1/models`, `http://localhost:${local.port}/v1/models`, `http://[::1]:${local.port}/v1/models`]) {
      const res = await permissive(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ hello: "world" }) });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("ok");
    }
  });

  it("takes a Request object like fetch does, and the guard still applies to it", async () => {
    const res = await permissive(new Request(`http://127.0.0.1:${local.port}/v1/echo`, { method: "POST", headers: { "x-test": "1" }, body: "payload" }));
    expect(res.status).toBe(200);
    expect(local.requests.at(-1)).toBe("/v1/echo");
    expect(await refusal(strict(new Request(`https://127.0.0.1:${local.port}/v1/echo`)))).toBeInstanceOf(OutboundBlockedError);
  });

  it("still allows plain http only to this machine", async () => {
    expect(await refusal(permissive("http://10.0.0.1/v1/models"))).toMatchObject({ name: "OutboundBlockedError", message: expect.stringContaining("only to this machine") });
    const f = createGuardedFetch({ allowPrivateAddresses: true, lookup: (_h, _o, cb) => cb(null, [{ address: "192.168.1.20", family: 4 }]) });
    expect(await refusal(f("http://nas.lan:11434/v1/models"))).toMatchObject({ name: "OutboundBlockedError", message: expect.stringContaining("only to this machine") });
  });

  it("is what guardedFetch uses under the test env (OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS=true)", async () => {
    const res = await guardedFetch(`http://127.0.0.1:${local.port}/v1/models`);
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });
});
