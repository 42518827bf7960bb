import { createHmac } from "node:crypto";

/**
 * Canonical JSON (RFC 8785 / JCS for JSON values): object keys sorted, no
 * whitespace. The SDK parses a request body and verifies the signature over
 * its canonical form, so the executor sends bodies already canonical.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
};

/**
 * X-Inngest-Signature for a request body (SDK spec 4.1.1): `t=<unix s>&s=<hex
 * HMAC-SHA256(body + t)>`, keyed with the signing key minus its
 * `signkey-<env>-` prefix (as the SDK's own signDataWithKey does). `body` must
 * be canonical JSON (see canonicalJson).
 */
export const signBody = (body: string, signingKey: string, nowMs = Date.now()): string => {
  const t = Math.round(nowMs / 1000).toString();
  const key = signingKey.replace(/^signkey-[\w]+-/, "");
  const s = createHmac("sha256", key).update(body + t).digest("hex");
  return `t=${t}&s=${s}`;
};
