import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing (scrypt)", () => {
  it("verifies the password it hashed", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
  });

  it("rejects a wrong password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("rejects a tampered or malformed hash", async () => {
    const hash = await hashPassword("s3cret-passphrase");
    const parts = hash.split("$");
    // flip one character of the derived key
    const key = parts[5]!;
    const flipped = (key[0] === "A" ? "B" : "A") + key.slice(1);
    expect(await verifyPassword("s3cret-passphrase", [...parts.slice(0, 5), flipped].join("$"))).toBe(false);
    // different salt
    const salt = parts[4]!;
    const otherSalt = (salt[0] === "A" ? "B" : "A") + salt.slice(1);
    expect(await verifyPassword("s3cret-passphrase", [...parts.slice(0, 4), otherSalt, parts[5]].join("$"))).toBe(false);
    // wrong scheme / wrong shape
    expect(await verifyPassword("s3cret-passphrase", hash.replace(/^scrypt/, "bcrypt"))).toBe(false);
    expect(await verifyPassword("s3cret-passphrase", parts.slice(0, 5).join("$"))).toBe(false);
    expect(await verifyPassword("s3cret-passphrase", "")).toBe(false);
  });

  it("salts: two hashes of the same password differ, and both verify", async () => {
    const [a, b] = await Promise.all([hashPassword("same password!"), hashPassword("same password!")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password!", a)).toBe(true);
    expect(await verifyPassword("same password!", b)).toBe(true);
  });

  it("encodes scheme and cost parameters in the stored string", async () => {
    const hash = await hashPassword("parameters-visible");
    const [scheme, n, r, p, salt, key] = hash.split("$");
    expect(scheme).toBe("scrypt");
    expect(Number(n)).toBe(2 ** 15);
    expect(Number(r)).toBe(8);
    expect(Number(p)).toBe(3);
    expect(Buffer.from(salt!, "base64")).toHaveLength(16);
    expect(Buffer.from(key!, "base64")).toHaveLength(32);
    expect(hash).not.toContain("parameters-visible");
  });

  it("normalises Unicode (NFKC) so the same visible password verifies", async () => {
    const composed = "caf\u00e9-password"; // é as one code point
    const decomposed = "cafe\u0301-password"; // e + combining acute
    const hash = await hashPassword(composed);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });
});
