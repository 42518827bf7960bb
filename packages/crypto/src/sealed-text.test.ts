import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCryptoError } from "./errors";
import { blindToken, deriveContentKeys, isSealedText, openText, sealText, tenantOfSealedText } from "./sealed-text";

const keysA = deriveContentKeys("tenant-a", randomBytes(32));
const keysB = deriveContentKeys("tenant-b", randomBytes(32));

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return isCryptoError(err) ? err.code : "not a CryptoError";
  }
};

describe("sealed text", () => {
  it("round-trips text of any length and script, naming its tenant in the clear and nothing else", () => {
    for (const text of ["", "Q3 budget: cut 5 %", "presupuesto ñandú — 予算", "x".repeat(100_000)]) {
      const sealed = sealText(keysA, "Message.content", text);
      expect(isSealedText(sealed)).toBe(true);
      expect(tenantOfSealedText(sealed)).toBe("tenant-a");
      if (text.length > 3) expect(sealed).not.toContain(text.slice(0, 4));
      expect(openText(keysA, "Message.content", sealed)).toBe(text);
    }
  });

  it("uses a fresh nonce every time: the same text seals differently", () => {
    expect(sealText(keysA, "f", "same")).not.toBe(sealText(keysA, "f", "same"));
  });

  it("refuses a value moved to another field, another tenant, a different key or tampered", () => {
    const sealed = sealText(keysA, "Message.content", "secret plan");
    expect(codeOf(() => openText(keysA, "MeetingTurn.content", sealed))).toBe("DECRYPT_FAILED");
    expect(codeOf(() => openText(keysB, "Message.content", sealed))).toBe("MALFORMED_CIPHERTEXT");
    const relabelled = sealed.replace("tenant-a", "tenant-b");
    expect(codeOf(() => openText(keysB, "Message.content", relabelled))).toBe("DECRYPT_FAILED");
    const otherKey = deriveContentKeys("tenant-a", randomBytes(32));
    expect(codeOf(() => openText(otherKey, "Message.content", sealed))).toBe("DECRYPT_FAILED");
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === "A" ? "B" : "A") + sealed.slice(-2);
    expect(codeOf(() => openText(keysA, "Message.content", flipped))).toBe("DECRYPT_FAILED");
    expect(codeOf(() => openText(keysA, "Message.content", "plain text"))).toBe("MALFORMED_CIPHERTEXT");
    expect(codeOf(() => openText(keysA, "Message.content", "occ1.tenant-a.***"))).toBe("MALFORMED_CIPHERTEXT");
  });

  it("blind tokens are stable per tenant, differ across tenants and reveal nothing of the word", () => {
    const t = blindToken(keysA, "budget");
    expect(t).toMatch(/^[\w-]{11}$/);
    expect(blindToken(keysA, "budget")).toBe(t);
    expect(blindToken(keysB, "budget")).not.toBe(t);
    expect(blindToken(keysA, "budgets")).not.toBe(t);
  });

  it("refuses a content key of the wrong size", () => {
    expect(codeOf(() => deriveContentKeys("t", randomBytes(16)))).toBe("MALFORMED_CIPHERTEXT");
  });
});
