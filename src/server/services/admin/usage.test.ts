import { describe, expect, it } from "vitest";
import { createTenant } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { getUsage, usageRange } from "./usage";

// A range in the past that no other test writes to, so totals are exact.
const at = (day: string, hour = 12) => new Date(`${day}T${String(hour).padStart(2, "0")}:00:00.000Z`);
const call = (tenantId: string, createdAt: Date, inputTokens: number | null, outputTokens: number | null) => ({
  tenantId,
  provider: "offline",
  model: "m",
  operation: "chat",
  durationMs: 3,
  status: "ok",
  createdAt,
  inputTokens,
  outputTokens,
});

describe("usageRange", () => {
  it("defaults to the last 30 UTC days, today included", () => {
    const r = usageRange({}, new Date("2030-03-31T23:59:00Z"));
    expect(r).toMatchObject({ from: "2030-03-02", to: "2030-03-31" });
    expect(r.days).toHaveLength(30);
    expect(r.end.toISOString()).toBe("2030-04-01T00:00:00.000Z");
  });

  it("refuses a reversed or too long range", () => {
    expect(() => usageRange({ from: "2030-01-02", to: "2030-01-01" })).toThrow(/after/);
    expect(() => usageRange({ from: "2028-01-01", to: "2030-01-01" })).toThrow(/366/);
  });
});

describe("getUsage", () => {
  it("sums calls and tokens per tenant per UTC day, per day overall, and ranks the top tenants by tokens", async () => {
    const a = await createTenant();
    const b = await createTenant();
    await db.llmCall.createMany({
      data: [
        call(a.id, at("2001-02-01", 0), 100, 50),
        call(a.id, at("2001-02-01", 23), 10, null),
        call(a.id, at("2001-02-03"), 5, 5),
        call(b.id, at("2001-02-01"), 1000, 1000),
        call(b.id, at("2001-02-02"), null, null),
        // Outside the range on both sides.
        call(a.id, at("2001-01-31", 23), 7777, 0),
        call(b.id, at("2001-02-04", 0), 8888, 0),
      ],
    });
    const u = await getUsage({ from: "2001-02-01", to: "2001-02-03" });
    expect(u.daily).toEqual([
      { day: "2001-02-01", calls: 3, tokens: 2160 },
      { day: "2001-02-02", calls: 1, tokens: 0 },
      { day: "2001-02-03", calls: 1, tokens: 10 },
    ]);
    expect(u.totals).toEqual({ calls: 5, tokens: 2170 });
    expect(u.topTenants).toEqual([
      { tenantId: b.id, tenantSlug: b.slug, tenantName: b.name, calls: 2, tokens: 2000 },
      { tenantId: a.id, tenantSlug: a.slug, tenantName: a.name, calls: 3, tokens: 170 },
    ]);
    expect(u.perTenantDay).toContainEqual({ tenantId: a.id, tenantSlug: a.slug, tenantName: a.name, day: "2001-02-01", calls: 2, inputTokens: 110, outputTokens: 50, tokens: 160 });

    const onlyA = await getUsage({ from: "2001-02-01", to: "2001-02-03", tenantId: a.id });
    expect(onlyA.totals).toEqual({ calls: 3, tokens: 170 });
    expect(onlyA.topTenants.map((t) => t.tenantId)).toEqual([a.id]);
  });

  it("an empty range has a zero for every day", async () => {
    const u = await getUsage({ from: "1999-12-30", to: "2000-01-02" });
    expect(u.daily.map((d) => d.day)).toEqual(["1999-12-30", "1999-12-31", "2000-01-01", "2000-01-02"]);
    expect(u.totals).toEqual({ calls: 0, tokens: 0 });
    expect(u.topTenants).toEqual([]);
  });
});
