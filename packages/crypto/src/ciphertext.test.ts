import { describe, expect, it } from "vitest";
import { fieldAad, formatCiphertext, needsReencryption, parseCiphertextHeader } from "./ciphertext";
import { canonicalAad, fromBase64Strict, fromBase64UrlStrict } from "./encoding";
import { CryptoError } from "./errors";

const payload = Buffer.alloc(28, 7);

describe("ciphertext header", () => {
  it("round-trips format and key version", () => {
    expect(parseCiphertextHeader(formatCiphertext(1, payload))).toEqual({ formatVersion: 1, keyVersion: 1 });
    expect(parseCiphertextHeader(formatCiphertext(2147483647, payload))).toEqual({ formatVersion: 1, keyVersion: 2147483647 });
  });

  it.each([
    ["no separators", "garbage"],
    ["unknown format", `ocs9.1.${payload.toString("base64url")}`],
    ["version 0", `ocs1.0.${payload.toString("base64url")}`],
    ["leading zero", `ocs1.01.${payload.toString("base64url")}`],
    ["negative", `ocs1.-1.${payload.toString("base64url")}`],
    ["too large", `ocs1.2147483648.${payload.toString("base64url")}`],
    ["non-numeric", `ocs1.v1.${payload.toString("base64url")}`],
    ["payload too short", `ocs1.1.${Buffer.alloc(27).toString("base64url")}`],
    ["invalid base64url", `ocs1.1.${payload.toString("base64")}+/`],
    ["extra part", `ocs1.1.${payload.toString("base64url")}.x`],
  ])("rejects %s with MALFORMED_CIPHERTEXT", (_name, text) => {
    let err: unknown;
    try {
      parseCiphertextHeader(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).code).toBe("MALFORMED_CIPHERTEXT");
  });

  it("rejects non-string input", () => {
    expect(() => parseCiphertextHeader(42 as unknown as string)).toThrow(CryptoError);
  });

  it("needsReencryption compares the header version with the active one", () => {
    expect(needsReencryption(formatCiphertext(1, payload), 2)).toBe(true);
    expect(needsReencryption(formatCiphertext(2, payload), 2)).toBe(false);
    expect(() => needsReencryption("nope", 2)).toThrow(CryptoError);
  });
});

describe("encoding", () => {
  it("base64url decoding is canonical: unused trailing bits are rejected", () => {
    const one = Buffer.from([0xff]).toString("base64url"); // "_w"
    expect(fromBase64UrlStrict(one)).toEqual(Buffer.from([0xff]));
    expect(fromBase64UrlStrict("_x")).toBeNull(); // decodes to the same byte in Node's lenient decoder
    expect(Buffer.from("_x", "base64url")).toEqual(Buffer.from([0xff]));
    expect(fromBase64UrlStrict("a b")).toBeNull();
    expect(fromBase64UrlStrict("A")).toBeNull();
  });

  it("standard base64 accepts padded and unpadded canonical forms only", () => {
    const key = Buffer.alloc(32, 1);
    expect(fromBase64Strict(key.toString("base64"))).toEqual(key);
    expect(fromBase64Strict(key.toString("base64").replace(/=+$/, ""))).toEqual(key);
    expect(fromBase64Strict(`${key.toString("base64")}!`)).toBeNull();
  });

  it("canonical AAD is unambiguous when parts contain the separator", () => {
    expect(canonicalAad(["a|b", "c"]).equals(canonicalAad(["a", "b|c"]))).toBe(false);
    expect(fieldAad("t|x", "f", 1).equals(fieldAad("t", "x|f", 1))).toBe(false);
    expect(fieldAad("t", "f", 1).equals(fieldAad("t", "f", 1))).toBe(true);
    expect(canonicalAad(["", "é"])).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 2, 0xc3, 0xa9]));
  });
});
