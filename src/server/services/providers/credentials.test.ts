import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTenantWithMembers, tenantCtxOf, uid } from "../../../../prisma/factories";
import { startModelsServer, type ModelsServer } from "../../../../tests/support/models-server";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { createGuardedFetch } from "~/server/infra/outbound-fetch";
import {
  createCredential,
  deleteCredential,
  getDecryptedCredential,
  listCredentials,
  recordFailedCredentialUse,
  testCredential,
} from "./credentials";

const KEY = `sk-test-${uid(16)}-WXYZ`;
const forms = (key: string) => [key, Buffer.from(key).toString("base64"), Buffer.from(key).toString("base64url"), Buffer.from(key).toString("hex")];

/** Every log call made during the file, whatever the level (the test logger is silent, so we spy). */
const logged: unknown[] = [];
const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
for (const level of LEVELS) {
  vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
    logged.push(args);
  }) as never);
}

const expectNoKey = (value: unknown, key = KEY) => {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, cause: String(v.cause) } : v));
  for (const f of forms(key)) expect(text).not.toContain(f);
};

let server: ModelsServer;
beforeAll(async () => {
  server = await startModelsServer({ validKey: KEY, models: Array.from({ length: 25 }, (_, i) => `model-${i}`) });
});
afterAll(async () => {
  await server.close();
});

const setup = async () => {
  const f = await createTenantWithMembers();
  const other = await createTenantWithMembers();
  return { ...f, other, ctx: tenantCtxOf(f.tenant, f.admin, "ADMIN"), otherCtx: tenantCtxOf(other.tenant, other.owner, "OWNER") };
};

const outputsSeen: unknown[] = [];
const keep = <T>(v: T): T => {
  outputsSeen.push(v);
  return v;
};

describe("createCredential / listCredentials", () => {
  it("stores only a ciphertext, returns masked fields with last4, and audits created without the key", async () => {
    const { ctx, tenant, admin } = await setup();
    const created = keep(await createCredential(ctx, { provider: "openai", label: "Prod OpenAI", apiKey: KEY, defaultModel: "gpt-4o-mini" }));
    expect(created).toEqual({
      id: expect.any(String),
      provider: "openai",
      label: "Prod OpenAI",
      baseUrl: null,
      defaultModel: "gpt-4o-mini",
      last4: "WXYZ",
      createdAt: expect.any(Date),
      lastTestedAt: null,
      lastTestOk: null,
    });
    const listed = keep(await listCredentials(ctx));
    expect(listed).toEqual([created]);

    const row = await db.providerCredential.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ tenantId: tenant.id, createdById: admin.id, keyVersion: 1, last4: "WXYZ" });
    expect(row.secretCiphertext.startsWith("ocs1.1.")).toBe(true);
    expectNoKey(row);

    const events = await db.auditEvent.findMany({ where: { tenantId: tenant.id, action: { startsWith: "provider_credential." } } });
    expect(events).toMatchObject([{ action: "provider_credential.created", targetId: created.id, actorId: admin.id, result: "SUCCESS", metadata: { provider: "openai", label: "Prod OpenAI", last4: "WXYZ" } }]);
    expectNoKey(events);
    expect(JSON.stringify(events)).not.toContain(row.secretCiphertext);
  });

  it("binds the ciphertext to the tenant and the credential: a copied ciphertext is unusable and audited as a failed use", async () => {
    const { ctx, tenant } = await setup();
    const a = await createCredential(ctx, { provider: "openai", label: "A", apiKey: KEY });
    const b = await createCredential(ctx, { provider: "openai", label: "B", apiKey: `sk-other-${uid(12)}` });
    const rowA = await db.providerCredential.findUniqueOrThrow({ where: { id: a.id } });
    await db.providerCredential.update({ where: { id: b.id }, data: { secretCiphertext: rowA.secretCiphertext } });
    await expect(getDecryptedCredential(ctx, b.id)).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "credentialUnusable" });
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "provider_credential.use_failed", targetId: b.id } });
    expect(ev).toMatchObject({ result: "FAILURE", metadata: { provider: "openai", label: "B", reason: "credentialUnusable" } });
  });

  it("accepts openai-compatible with https or a loopback http base URL, and anthropic", async () => {
    const { ctx } = await setup();
    for (const baseUrl of ["https://llm.example.com/v1", "http://localhost:11434/v1", "http://127.0.0.1:8080/v1"]) {
      keep(await createCredential(ctx, { provider: "openai-compatible", label: `Local ${baseUrl}`, apiKey: KEY, baseUrl }));
    }
    keep(await createCredential(ctx, { provider: "anthropic", label: "Claude", apiKey: KEY, baseUrl: "", defaultModel: "" }));
    const list = keep(await listCredentials(ctx));
    expect(list.map((c) => [c.provider, c.baseUrl])).toEqual([
      ["openai-compatible", "https://llm.example.com/v1"],
      ["openai-compatible", "http://localhost:11434/v1"],
      ["openai-compatible", "http://127.0.0.1:8080/v1"],
      ["anthropic", null],
    ]);
  });

  const BAD: [string, Record<string, unknown>][] = [
    ["unknown provider", { provider: "mistral", label: "x", apiKey: KEY }],
    ["empty key", { provider: "openai", label: "x", apiKey: "" }],
    ["whitespace key", { provider: "openai", label: "x", apiKey: "        " }],
    ["too short key", { provider: "openai", label: "x", apiKey: "abc" }],
    ["too long key", { provider: "openai", label: "x", apiKey: "k".repeat(513) }],
    ["key with a newline", { provider: "openai", label: "x", apiKey: `${KEY}\r\nX-Evil: 1` }],
    ["empty label", { provider: "openai", label: " ", apiKey: KEY }],
    ["openai-compatible without base URL", { provider: "openai-compatible", label: "x", apiKey: KEY }],
    ["not a URL", { provider: "openai-compatible", label: "x", apiKey: KEY, baseUrl: "not a url" }],
    ["plain http to a remote host", { provider: "openai-compatible", label: "x", apiKey: KEY, baseUrl: "http://llm.example.com/v1" }],
    ["file URL", { provider: "openai-compatible", label: "x", apiKey: KEY, baseUrl: "file:///etc/passwd" }],
    ["credentials in the URL", { provider: "openai-compatible", label: "x", apiKey: KEY, baseUrl: "https://user:pw@llm.example.com/v1" }],
  ];

  it.each(BAD)("refuses %s with BAD_REQUEST and writes nothing (service)", async (_name, input) => {
    const { ctx, tenant } = await setup();
    const err = await createCredential(ctx, input as never).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    expectNoKey(err);
    expect(await db.providerCredential.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { tenantId: tenant.id, action: { startsWith: "provider_credential." } } })).toBe(0);
  });

  it.each(BAD)("refuses %s with BAD_REQUEST and writes nothing (procedure)", async (_name, input) => {
    const { tenant, admin } = await setup();
    const err = await callerFor(admin)
      .provider.create({ tenantSlug: tenant.slug, ...input } as never)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.providerCredential.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});

describe("tenant isolation", () => {
  it("another tenant's credential is NOT_FOUND for every operation and is left untouched", async () => {
    const { ctx, otherCtx, tenant } = await setup();
    const mine = await createCredential(ctx, { provider: "openai", label: "Mine", apiKey: KEY });
    expect(await listCredentials(otherCtx)).toEqual([]);
    await expect(deleteCredential(otherCtx, { id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(testCredential(otherCtx, { id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getDecryptedCredential(otherCtx, mine.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const row = await db.providerCredential.findUniqueOrThrow({ where: { id: mine.id } });
    expect(row).toMatchObject({ tenantId: tenant.id, lastTestedAt: null });
    expect(await db.auditEvent.count({ where: { tenantId: otherCtx.tenantId, action: { startsWith: "provider_credential." } } })).toBe(0);
  });
});

describe("deleteCredential", () => {
  it("deletes the row and audits deleted with provider, label and last4", async () => {
    const { ctx, tenant } = await setup();
    const c = await createCredential(ctx, { provider: "anthropic", label: "Claude", apiKey: KEY });
    expect(keep(await deleteCredential(ctx, { id: c.id }))).toEqual({ id: c.id });
    expect(await db.providerCredential.count({ where: { id: c.id } })).toBe(0);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "provider_credential.deleted" } });
    expect(ev).toMatchObject({ targetId: c.id, result: "SUCCESS", metadata: { provider: "anthropic", label: "Claude", last4: "WXYZ" } });
    await expect(deleteCredential(ctx, { id: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("testCredential against a local server", () => {
  it("200 → ok with the first 20 model ids; sends Bearer; records lastTestOk; audited as tested without the key", async () => {
    const { ctx, tenant } = await setup();
    const c = await createCredential(ctx, { provider: "openai-compatible", label: "Local", apiKey: KEY, baseUrl: server.baseUrl });
    const result = keep(await testCredential(ctx, { id: c.id }));
    expect(result).toEqual({ ok: true, status: 200, models: Array.from({ length: 20 }, (_, i) => `model-${i}`) });
    expect(server.requests.at(-1)).toMatchObject({ path: "/v1/models", headers: { authorization: `Bearer ${KEY}` } });
    const row = await db.providerCredential.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.lastTestOk).toBe(true);
    expect(row.lastTestedAt).toBeInstanceOf(Date);
    expect(await db.auditEvent.count({ where: { tenantId: tenant.id, action: "provider_credential.test_failed" } })).toBe(0);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "provider_credential.tested" } });
    expect(ev).toMatchObject({ result: "SUCCESS", targetId: c.id, metadata: { provider: "openai-compatible", label: "Local", last4: KEY.slice(-4), status: 200 } });
    expect(JSON.stringify(ev)).not.toContain(KEY);
  });

  it("anthropic sends x-api-key and anthropic-version", async () => {
    const { ctx } = await setup();
    const c = await createCredential(ctx, { provider: "anthropic", label: "Claude local", apiKey: KEY, baseUrl: server.baseUrl });
    expect(keep(await testCredential(ctx, { id: c.id }))).toMatchObject({ ok: true, status: 200 });
    const req = server.requests.at(-1)!;
    expect(req.headers).toMatchObject({ "x-api-key": KEY, "anthropic-version": "2023-06-01" });
    expect(req.headers.authorization).toBeUndefined();
  });

  it("401 → not ok, providerUnauthorized, lastTestOk false, audited test_failed without the key", async () => {
    const { ctx, tenant } = await setup();
    const wrong = `sk-wrong-${uid(12)}`;
    const c = await createCredential(ctx, { provider: "openai-compatible", label: "Wrong key", apiKey: wrong, baseUrl: server.baseUrl });
    const result = keep(await testCredential(ctx, { id: c.id }));
    expect(result).toEqual({ ok: false, status: 401, error: "providerUnauthorized" });
    expect((await db.providerCredential.findUniqueOrThrow({ where: { id: c.id } })).lastTestOk).toBe(false);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "provider_credential.test_failed" } });
    expect(ev).toMatchObject({ targetId: c.id, result: "FAILURE", metadata: { provider: "openai-compatible", label: "Wrong key", last4: wrong.slice(-4), status: 401, reason: "providerUnauthorized" } });
    expectNoKey(ev, wrong);
  });

  it("an unreachable server → providerUnreachable; a slow one → providerTimeout", async () => {
    const { ctx } = await setup();
    const closed = await startModelsServer({ validKey: KEY });
    await closed.close();
    const c = await createCredential(ctx, { provider: "openai-compatible", label: "Gone", apiKey: KEY, baseUrl: closed.baseUrl });
    expect(keep(await testCredential(ctx, { id: c.id }))).toEqual({ ok: false, status: null, error: "providerUnreachable" });

    const { createServer } = await import("node:http");
    const hang = createServer(() => undefined);
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
    try {
      const port = (hang.address() as { port: number }).port;
      const slow = await createCredential(ctx, { provider: "openai-compatible", label: "Slow", apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/v1` });
      expect(keep(await testCredential(ctx, { id: slow.id }, { timeoutMs: 200 }))).toEqual({ ok: false, status: null, error: "providerTimeout" });
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((r) => hang.close(() => r()));
    }
  });

  it("through the procedure: the output has no key field and no key", async () => {
    const { tenant, admin } = await setup();
    const api = callerFor(admin);
    const c = keep(await api.provider.create({ tenantSlug: tenant.slug, provider: "openai-compatible", label: "Proc", apiKey: KEY, baseUrl: server.baseUrl }));
    expect(Object.keys(c).sort()).toEqual(["baseUrl", "createdAt", "defaultModel", "id", "label", "last4", "lastTestOk", "lastTestedAt", "provider"]);
    expect(keep(await api.provider.test({ tenantSlug: tenant.slug, id: c.id }))).toMatchObject({ ok: true, status: 200 });
    keep(await api.provider.list({ tenantSlug: tenant.slug }));
    keep(await api.provider.delete({ tenantSlug: tenant.slug, id: c.id }));
  });
});

describe("SSRF: base URLs on non-public addresses under the strict (hosted) policy", () => {
  const STRICT = { allowPrivateAddresses: false };
  const PRIVATE = [
    "http://localhost:11434/v1",
    "https://localhost/v1",
    "http://127.0.0.1:8080/v1",
    "https://[::1]/v1",
    "https://10.0.0.1/v1",
    "https://169.254.169.254/latest",
    "https://[::ffff:127.0.0.1]/v1",
    "https://100.64.0.1/v1",
    "https://[fd00::1]/v1",
    "https://0.0.0.0/v1",
    "https://ollama.localhost/v1",
  ];

  it.each(PRIVATE)("refuses %s at create time with BAD_REQUEST providerAddressBlocked and writes nothing", async (baseUrl) => {
    const { ctx, tenant } = await setup();
    const err = await createCredential(ctx, { provider: "openai-compatible", label: "Internal", apiKey: KEY, baseUrl }, STRICT).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "BAD_REQUEST", reason: "providerAddressBlocked", message: expect.stringContaining("must be a public https address") });
    expectNoKey(err);
    expect(await db.providerCredential.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("accepts a public https base URL under the strict policy, and private ones when the policy allows them", async () => {
    const { ctx } = await setup();
    keep(await createCredential(ctx, { provider: "openai-compatible", label: "Hosted vLLM", apiKey: KEY, baseUrl: "https://llm.example.com/v1" }, STRICT));
    keep(await createCredential(ctx, { provider: "openai-compatible", label: "Local Ollama", apiKey: KEY, baseUrl: "http://localhost:11434/v1" }, { allowPrivateAddresses: true }));
    expect((await listCredentials(ctx)).map((c) => c.baseUrl)).toEqual(["https://llm.example.com/v1", "http://localhost:11434/v1"]);
  });

  it("test connection to a private address → providerAddressBlocked, lastTestOk false, audited, and nothing reaches the server", async () => {
    const { ctx, tenant } = await setup();
    // Stored while the policy allowed it (or by an earlier version); the connect-time guard still refuses it.
    const c = await createCredential(ctx, { provider: "openai-compatible", label: "Was local", apiKey: KEY, baseUrl: server.baseUrl });
    const before = server.requests.length;
    const result = keep(await testCredential(ctx, { id: c.id }, { fetch: createGuardedFetch(STRICT) }));
    expect(result).toEqual({ ok: false, status: null, error: "providerAddressBlocked" });
    expect(server.requests.length).toBe(before);
    expect((await db.providerCredential.findUniqueOrThrow({ where: { id: c.id } })).lastTestOk).toBe(false);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "provider_credential.test_failed" } });
    expect(ev).toMatchObject({ targetId: c.id, result: "FAILURE", metadata: { status: null, reason: "providerAddressBlocked" } });
  });

  it("a public-looking name that resolves to a private address passes create-time validation but is refused at connect time", async () => {
    const { ctx } = await setup();
    const c = await createCredential(ctx, { provider: "openai-compatible", label: "Rebinding", apiKey: KEY, baseUrl: "https://llm.attacker.example/v1" }, STRICT);
    const lookups: string[] = [];
    const resolvesToMetadata = createGuardedFetch({ ...STRICT, lookup: (h, _o, cb) => (lookups.push(h), cb(null, [{ address: "169.254.169.254", family: 4 }])) });
    expect(keep(await testCredential(ctx, { id: c.id }, { fetch: resolvesToMetadata }))).toEqual({ ok: false, status: null, error: "providerAddressBlocked" });
    expect(lookups).toEqual(["llm.attacker.example"]);
  });

  it("the default (env) policy in tests allows the local server: OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS=true", async () => {
    const { ctx } = await setup();
    const c = await createCredential(ctx, { provider: "openai-compatible", label: "Env policy", apiKey: KEY, baseUrl: server.baseUrl });
    expect(keep(await testCredential(ctx, { id: c.id }))).toMatchObject({ ok: true, status: 200 });
  });
});

describe("getDecryptedCredential / recordFailedCredentialUse (for the gateway)", () => {
  it("returns the key and the provider's default base URL; a failed use is audited without the key", async () => {
    const { ctx, tenant } = await setup();
    const c = await createCredential(ctx, { provider: "openai", label: "Gateway", apiKey: KEY });
    const d = await getDecryptedCredential({ tenantId: tenant.id }, c.id);
    expect(d).toEqual({ id: c.id, provider: "openai", label: "Gateway", baseUrl: "https://api.openai.com/v1", defaultModel: null, apiKey: KEY });
    await recordFailedCredentialUse({ tenantId: tenant.id }, c.id, "providerUnauthorized");
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "provider_credential.use_failed" } });
    expect(ev).toMatchObject({ actorType: "SYSTEM", result: "FAILURE", metadata: { provider: "openai", label: "Gateway", last4: "WXYZ", reason: "providerUnauthorized" } });
    expectNoKey(ev);
  });

  it("records the key's last use (shown in access reviews), at most once per 5 minutes", async () => {
    const { ctx, tenant } = await setup();
    const c = await createCredential(ctx, { provider: "openai", label: "Used", apiKey: KEY });
    const usedAt = () => db.providerCredential.findUniqueOrThrow({ where: { id: c.id } }).then((r) => r.lastUsedAt);
    expect(await usedAt()).toBeNull();
    await getDecryptedCredential({ tenantId: tenant.id }, c.id);
    await expect.poll(usedAt).not.toBeNull();
    const first = (await usedAt())!.getTime();
    await getDecryptedCredential({ tenantId: tenant.id }, c.id);
    await new Promise((r) => setTimeout(r, 200));
    expect((await usedAt())!.getTime()).toBe(first);
    // Older than the resolution: the next use moves it.
    await db.providerCredential.update({ where: { id: c.id }, data: { lastUsedAt: new Date(first - 6 * 60_000) } });
    await getDecryptedCredential({ tenantId: tenant.id }, c.id);
    await expect.poll(async () => (await usedAt())!.getTime()).toBeGreaterThan(first - 1000);
  });
});

describe("the key never leaks", () => {
  it("appears in no service or procedure output, no log line, and no audit row", async () => {
    expect(outputsSeen.length).toBeGreaterThan(10);
    expectNoKey(outputsSeen);
    expect(logged.length).toBeGreaterThan(0); // the decrypt failure above logged a security event
    expectNoKey(logged);
    const audit = await db.auditEvent.findMany({ where: { action: { startsWith: "provider_credential." } } });
    expect(audit.length).toBeGreaterThan(5);
    expectNoKey(audit);
    const rows = await db.providerCredential.findMany();
    expectNoKey(rows);
  });
});
