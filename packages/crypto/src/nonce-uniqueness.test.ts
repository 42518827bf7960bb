/**
 * 1,000,000 encryptions through the public API, every nonce distinct.
 *
 * With 96-bit random nonces the chance of ANY collision among 10^6 is about
 * n²/2^97 ≈ 6·10^-18, so a duplicate here means a bug (a constant or reused
 * nonce, a pool that hands out the same slice twice), not bad luck.
 */
import { describe, expect, it } from "vitest";
import { NONCE_BYTES } from "./aead";
import { parseCiphertext } from "./ciphertext";
import { setup } from "./test-fixtures";

const N = 1_000_000;

describe("nonce uniqueness", () => {
  it(
    `${N.toLocaleString("en")} encryptions use ${N.toLocaleString("en")} distinct nonces`,
    async () => {
      const { envelope } = setup();
      await envelope.ensureTenantKey("t1");
      const nonces = new Set<string>();
      const started = performance.now();
      for (let i = 0; i < N; i++) {
        const c = await envelope.encryptField({ tenantId: "t1", field: "f", plaintext: "x" });
        // base64url of the first 12 bytes is exactly the first 16 characters of the payload.
        nonces.add(c.slice(7, 7 + (NONCE_BYTES / 3) * 4));
      }
      const ms = performance.now() - started;
      console.info(`nonce uniqueness: ${N} encryptions in ${(ms / 1000).toFixed(1)} s (${((ms * 1000) / N).toFixed(1)} µs each)`);
      expect(nonces.size).toBe(N);
      // The slice above really is the nonce.
      const sample = await envelope.encryptField({ tenantId: "t1", field: "f", plaintext: "x" });
      expect(parseCiphertext(sample).sealed.subarray(0, NONCE_BYTES).toString("base64url")).toBe(sample.slice(7, 23));
    },
    120_000,
  );
});
