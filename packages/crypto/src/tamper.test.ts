/**
 * Tamper detection: every single-bit change to any byte of a ciphertext, in
 * the header or the payload, must be rejected, never decrypt to anything.
 */
import { createSecretKey, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseCiphertext } from "./ciphertext";
import { CryptoError } from "./errors";
import { openField, sealField } from "./field-cipher";
import { setup } from "./test-fixtures";

const T = "tenant_a";
const FIELD = "customer.taxId";

/** Encrypts under v9 of a tenant that also has v1..v8, so a header edit can land on a real, decryptable version. */
const fixture = async (plaintext: string) => {
  const { envelope } = setup();
  await envelope.ensureTenantKey(T);
  for (let i = 0; i < 8; i++) await envelope.rotateTenantKey(T);
  const ciphertext = await envelope.encryptField({ tenantId: T, field: FIELD, plaintext });
  expect(ciphertext.startsWith("ocs1.9.")).toBe(true);
  const decrypt = (c: string) => envelope.decryptField({ tenantId: T, field: FIELD, ciphertext: c });
  return { ciphertext, decrypt };
};

/** Returns the CryptoError code, or "RETURNED DATA" if decryption succeeded (the failure we hunt for). */
const outcome = async (decrypt: (c: string) => Promise<string>, c: string): Promise<string> => {
  try {
    await decrypt(c);
    return "RETURNED DATA";
  } catch (err) {
    return err instanceof CryptoError ? err.code : `non-CryptoError: ${String(err)}`;
  }
};

describe("tamper detection", () => {
  it.each([
    ["short value", "123-45-6789"],
    ["empty value", ""],
    ["1 KiB value", "z".repeat(1024)],
  ])("every single-bit flip of every byte of the encoded string fails (%s)", async (_name, plaintext) => {
    const { ciphertext, decrypt } = await fixture(plaintext);
    expect(await decrypt(ciphertext)).toBe(plaintext);
    const bytes = Buffer.from(ciphertext, "utf8");
    const headerLength = ciphertext.lastIndexOf(".") + 1;
    const tally = new Map<string, number>();
    let attempts = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const mutated = Buffer.from(bytes);
        mutated[i] = (mutated[i] ?? 0) ^ (1 << bit);
        const text = mutated.toString("utf8"); // invalid UTF-8 becomes U+FFFD, still a change
        const code = await outcome(decrypt, text);
        attempts++;
        const key = `${i < headerLength ? "header" : "payload"}:${code}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        if (code !== "DECRYPT_FAILED" && code !== "MALFORMED_CIPHERTEXT") {
          throw new Error(`byte ${i} bit ${bit} (${i < headerLength ? "header" : "payload"}) gave ${code}`);
        }
      }
    }
    expect(attempts).toBe(bytes.length * 8);
    // Editing the version digit to another existing version must fail authentication (AAD binds the version).
    expect(tally.get("header:DECRYPT_FAILED")).toBeGreaterThan(0);
    expect(tally.get("payload:DECRYPT_FAILED")).toBeGreaterThan(0);
  });

  it("every single-bit flip of every decoded payload byte (nonce, ciphertext, tag) fails authentication", async () => {
    const { ciphertext, decrypt } = await fixture("4111 1111 1111 1111");
    const { sealed } = parseCiphertext(ciphertext);
    for (let i = 0; i < sealed.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const mutated = Buffer.from(sealed);
        mutated[i] = (mutated[i] ?? 0) ^ (1 << bit);
        const code = await outcome(decrypt, `ocs1.9.${mutated.toString("base64url")}`);
        if (code !== "DECRYPT_FAILED") throw new Error(`payload byte ${i} bit ${bit} gave ${code}`);
      }
    }
  });

  it("truncation, extension and re-encoding fail", async () => {
    const { ciphertext, decrypt } = await fixture("hello");
    const { sealed } = parseCiphertext(ciphertext);
    const cases = [
      ciphertext.slice(0, -1),
      ciphertext.slice(0, -4),
      `${ciphertext}A`,
      `${ciphertext}AAAA`,
      `ocs1.9.${sealed.subarray(0, sealed.length - 1).toString("base64url")}`, // tag truncated
      `ocs1.9.${sealed.subarray(1).toString("base64url")}`, // nonce shifted
      `ocs1.9.${Buffer.concat([sealed, Buffer.from([0])]).toString("base64url")}`,
      `ocs1.9.${sealed.toString("base64")}`, // standard base64 (identical when no +/ occur: filtered below)
      `ocs1.9.${sealed.toString("base64url")}==`,
      `ocs1.09.${sealed.toString("base64url")}`,
      `ocs1.+9.${sealed.toString("base64url")}`,
      `OCS1.9.${sealed.toString("base64url")}`,
      `ocs2.9.${sealed.toString("base64url")}`,
      ` ${ciphertext}`,
      `${ciphertext}\n`,
      ciphertext.replace(".", ".."),
      "",
      "ocs1.9.",
    ];
    for (const c of cases.filter((x) => x !== ciphertext)) {
      expect(["DECRYPT_FAILED", "MALFORMED_CIPHERTEXT"]).toContain(await outcome(decrypt, c));
    }
  });
});

describe("AAD binding with the same data key", () => {
  // Independent of key lookup: one key, so only the AAD differs.
  const key = createSecretKey(randomBytes(32));
  const ctx = { tenantId: "t1", field: "email", keyVersion: 3 };
  const ciphertext = sealField(key, ctx, "a@example.com");
  const { sealed } = parseCiphertext(ciphertext);

  it("opens with the right context", () => {
    expect(openField(key, ctx, sealed)).toBe("a@example.com");
  });

  it.each([
    ["tenant", { ...ctx, tenantId: "t2" }],
    ["field", { ...ctx, field: "phone" }],
    ["key version", { ...ctx, keyVersion: 4 }],
    ["separator shift", { ...ctx, tenantId: "t1|email", field: "" }],
  ])("fails with another %s", (_name, other) => {
    expect(openField(key, other, sealed)).toBeNull();
  });
});
