import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSealedBlob, openBlob, sealBlob } from "./blob";
import { CryptoError } from "./errors";
import { setup } from "./test-fixtures";

const AAD = ["tenant_a", "doc_1"];
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return "RETURNED DATA";
  } catch (err) {
    return err instanceof CryptoError ? err.code : String(err);
  }
};

describe("sealed blobs (document originals)", () => {
  it("round-trips any bytes under a fresh key each time; the stored bytes do not contain the plaintext", () => {
    const plain = Buffer.from("Q3 board pack: revenue 4.2M, runway 19 months. ".repeat(200));
    const a = sealBlob(plain, AAD);
    const b = sealBlob(plain, AAD);
    expect(a.contentKey).not.toBe(b.contentKey);
    expect(a.sealed.equals(b.sealed)).toBe(false);
    expect(isSealedBlob(a.sealed)).toBe(true);
    expect(a.sealed.includes(Buffer.from("runway"))).toBe(false);
    expect(a.sealed.length).toBe(plain.length + 4 + 12 + 16);
    expect(openBlob(a.contentKey, a.sealed, AAD).equals(plain)).toBe(true);
    const empty = sealBlob(new Uint8Array(0), AAD);
    expect(openBlob(empty.contentKey, empty.sealed, AAD).length).toBe(0);
  });

  it("refuses another key, another object's AAD, every flipped bit and bytes that are not a blob", () => {
    const plain = randomBytes(64);
    const { sealed, contentKey } = sealBlob(plain, AAD);
    expect(codeOf(() => openBlob(sealBlob(plain, AAD).contentKey, sealed, AAD))).toBe("DECRYPT_FAILED");
    expect(codeOf(() => openBlob(contentKey, sealed, ["tenant_a", "doc_2"]))).toBe("DECRYPT_FAILED");
    expect(codeOf(() => openBlob(contentKey, sealed, ["tenant_b", "doc_1"]))).toBe("DECRYPT_FAILED");
    for (let byte = 4; byte < sealed.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const tampered = Buffer.from(sealed);
        tampered[byte]! ^= 1 << bit;
        expect(codeOf(() => openBlob(contentKey, tampered, AAD)), `byte ${byte} bit ${bit}`).toBe("DECRYPT_FAILED");
      }
    }
    expect(codeOf(() => openBlob(contentKey, plain, AAD))).toBe("MALFORMED_CIPHERTEXT");
    expect(codeOf(() => openBlob("not-a-key", sealed, AAD))).toBe("MALFORMED_CIPHERTEXT");
    expect(isSealedBlob(Buffer.from("%PDF-1.7 ..."))).toBe(false);
  });

  it("is shredded with the tenant's data key: the content key stored as a field cannot be read once the key is destroyed", async () => {
    const { envelope } = setup({ retireGraceMs: 0 });
    await envelope.ensureTenantKey("tenant_a");
    const { sealed, contentKey } = sealBlob(Buffer.from("the original"), AAD);
    const stored = await envelope.encryptField({ tenantId: "tenant_a", field: "document-content-key:doc_1", plaintext: contentKey });
    const read = async () => openBlob(await envelope.decryptField({ tenantId: "tenant_a", field: "document-content-key:doc_1", ciphertext: stored }), sealed, AAD);
    expect((await read()).toString()).toBe("the original");
    await envelope.rotateTenantKey("tenant_a");
    await envelope.retireTenantKey("tenant_a", 1);
    await envelope.destroyTenantKey("tenant_a", 1);
    await expect(read()).rejects.toMatchObject({ code: "KEY_DESTROYED" });
  });
});
