import { describe, expect, it } from "vitest";
import { SLUG_PATTERN, slugify, ZTenantSlug } from "./slug";

describe("slugify", () => {
  it.each([
    ["Acme Corp!", "acme-corp"],
    ["  Hello   World  ", "hello-world"],
    ["Café Crème", "cafe-creme"],
    ["ÅngströM---Labs", "angstrom-labs"],
    ["100% Pure", "100-pure"],
    ["!!!", "workspace"],
    ["", "workspace"],
  ])("slugify(%j) = %j", (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it("caps the length at 40 characters and always yields a valid slug body", () => {
    const s = slugify("a".repeat(100));
    expect(s).toHaveLength(40);
    expect(SLUG_PATTERN.test(s)).toBe(true);
  });
});

describe("ZTenantSlug", () => {
  it.each(["acme", "acme-corp", "a1", "x".repeat(48)])("accepts %j", (slug) => {
    expect(ZTenantSlug.parse(slug)).toBe(slug);
  });

  it("trims and lowercases before validating", () => {
    expect(ZTenantSlug.parse("  Acme-Corp ")).toBe("acme-corp");
  });

  it.each(["admin", "api", "new", "settings", "t", "app", "www", "dev", "auth", "invite"])("rejects the reserved slug %j", (slug) => {
    const r = ZTenantSlug.safeParse(slug);
    expect(r.success).toBe(false);
  });

  it.each(["a", "-acme", "acme-", "ac me", "acme_corp", "acme.corp", "ácme", "x".repeat(49), "../etc"])("rejects the invalid slug %j", (slug) => {
    expect(ZTenantSlug.safeParse(slug).success).toBe(false);
  });

  it("reports the reserved-name message", () => {
    const r = ZTenantSlug.safeParse("admin");
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain("this name is reserved");
  });
});
