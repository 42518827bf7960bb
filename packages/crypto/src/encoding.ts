/**
 * Byte-level helpers shared by the field cipher and the key rings.
 */

const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;

// Views the bytes instead of copying them (Buffer.from(buffer) would copy).
export const toBase64Url = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");

/**
 * Strict base64url decoding. Node's decoder silently skips invalid characters
 * and ignores the unused low bits of the last character, so two different
 * strings can decode to the same bytes. Re-encoding and comparing makes the
 * encoding canonical: any edit to the text changes the bytes (and then fails
 * GCM authentication) or is rejected here.
 */
export const fromBase64UrlStrict = (text: string): Buffer | null => {
  if (!BASE64URL_RE.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
};

/** Strict standard base64 (padding optional), same canonical rule as above. */
export const fromBase64Strict = (text: string): Buffer | null => {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  const canonical = bytes.toString("base64");
  return canonical === text || canonical.replace(/=+$/, "") === text ? bytes : null;
};

/**
 * Canonical associated data: each part as u32 big-endian byte length followed
 * by its UTF-8 bytes. A plain `a|b|c` join would be ambiguous as soon as a
 * tenant id or field name contains the separator ("t|x" + "f" vs "t" + "x|f");
 * length prefixes make distinct part lists always give distinct bytes.
 */
export const canonicalAad = (parts: readonly string[]): Buffer => {
  // One allocation: this runs on every field encryption and decryption.
  let total = 0;
  for (const part of parts) total += 4 + Buffer.byteLength(part, "utf8");
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const part of parts) {
    const written = out.write(part, offset + 4, "utf8");
    out.writeUInt32BE(written, offset);
    offset += 4 + written;
  }
  return out;
};
