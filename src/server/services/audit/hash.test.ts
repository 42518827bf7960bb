import { describe, expect, it } from "vitest";
import { canonicalJson, GENESIS_HASH, hashAuditEvent, type HashableAuditEvent } from "./hash";

const base: HashableAuditEvent = {
  chain: "tenant_1",
  seq: 3,
  tenantId: "tenant_1",
  actorId: "user_1",
  actorType: "USER",
  action: "member.removed",
  targetType: "user",
  targetId: "user_2",
  ip: "127.0.0.1",
  userAgent: "vitest",
  result: "SUCCESS",
  metadata: { role: "MEMBER", nested: { b: 2, a: 1 } },
  createdAt: new Date("2026-01-02T03:04:05.678Z"),
  prevHash: GENESIS_HASH,
};

describe("canonicalJson", () => {
  it("sorts keys at every level, so key order does not change the output", () => {
    const a = canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } });
    const b = canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it("keeps array order (arrays are ordered data)", () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it("drops undefined properties, writes null for null/undefined values and ISO strings for dates", () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson(new Date("2026-01-01T00:00:00.000Z"))).toBe('"2026-01-01T00:00:00.000Z"');
    expect(canonicalJson("quote\"d")).toBe(JSON.stringify('quote"d'));
  });
});

describe("hashAuditEvent", () => {
  it("is a stable 64-char sha256 hex, independent of metadata key order", () => {
    const h = hashAuditEvent(base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditEvent({ ...base })).toBe(h);
    expect(hashAuditEvent({ ...base, metadata: { nested: { a: 1, b: 2 }, role: "MEMBER" } })).toBe(h);
  });

  const changes: [keyof HashableAuditEvent, unknown][] = [
    ["chain", "tenant_2"],
    ["seq", 4],
    ["tenantId", null],
    ["actorId", "user_9"],
    ["actorType", "SYSTEM"],
    ["action", "member.added"],
    ["targetType", "tenant"],
    ["targetId", "user_3"],
    ["ip", "10.0.0.1"],
    ["userAgent", "curl"],
    ["result", "FAILURE"],
    ["metadata", { role: "ADMIN", nested: { b: 2, a: 1 } }],
    ["createdAt", new Date("2026-01-02T03:04:05.679Z")],
    ["prevHash", "f".repeat(64)],
  ];
  it.each(changes)("changes when %s changes", (field, value) => {
    expect(hashAuditEvent({ ...base, [field]: value } as HashableAuditEvent)).not.toBe(hashAuditEvent(base));
  });
});
