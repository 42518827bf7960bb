/**
 * The sealed archive stream (libsodium secretstream framing): it round-trips any length, in any
 * read sizes, and refuses a truncated, reordered, tampered, extended or foreign stream, or the
 * wrong key, with a CryptoError.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createStreamSealer, FRAME_PLAIN, newStreamKey, openSealedFrames } from "./archive-stream";

const AAD = ["tenant-1", "export-1"];
const HEAD = 4 + 24;
const FRAME = FRAME_PLAIN + 17;

const seal = async (key: string, plain: Uint8Array, aad = AAD, pieces = 7_001) => {
  const s = await createStreamSealer(key, aad);
  const out: Uint8Array[] = [s.header];
  for (let i = 0; i < plain.byteLength; i += pieces) out.push(...s.update(plain.subarray(i, i + pieces)));
  out.push(s.final());
  return Buffer.concat(out);
};

async function* chunked(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

const open = async (key: string, sealed: Uint8Array, aad = AAD, size = 65_536) => {
  const parts: Uint8Array[] = [];
  for await (const p of openSealedFrames(key, aad, chunked(sealed, size))) parts.push(p);
  return Buffer.concat(parts);
};

describe("archive stream", () => {
  it("round-trips empty, short, frame-sized and multi-frame streams, whatever the read size", async () => {
    const key = await newStreamKey();
    for (const n of [0, 1, 1_000, FRAME_PLAIN, FRAME_PLAIN + 1, 3 * FRAME_PLAIN + 12_345]) {
      const plain = randomBytes(n);
      const sealed = await seal(key, plain);
      expect(sealed.byteLength).toBe(HEAD + n + 17 * (Math.floor(n / FRAME_PLAIN) + 1));
      for (const size of [1_000, 65_536, 1 << 20]) expect((await open(key, sealed, AAD, size)).equals(plain)).toBe(true);
    }
  });

  it("holds no plaintext and does not look like a zip", async () => {
    const plain = Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.from("known conversation title ".repeat(5_000))]);
    const sealed = await seal(await newStreamKey(), plain);
    expect(sealed.subarray(0, 4).toString()).toBe("ocx1");
    expect(sealed.includes(Buffer.from("known conversation title"))).toBe(false);
  });

  it("refuses truncation (at a frame boundary, mid-frame, header only), reordering, tampering, extra bytes", async () => {
    const key = await newStreamKey();
    const sealed = await seal(key, randomBytes(3 * FRAME_PLAIN + 500));
    const frames = [0, 1, 2, 3].map((i) => sealed.subarray(HEAD + i * FRAME, HEAD + (i + 1) * FRAME));
    const head = sealed.subarray(0, HEAD);
    const bad = [
      sealed.subarray(0, HEAD + 3 * FRAME), // the final frame dropped
      sealed.subarray(0, HEAD + FRAME + 100), // cut inside a frame
      head, // no frame at all
      Buffer.concat([head, frames[1]!, frames[0]!, frames[2]!, frames[3]!]), // two frames swapped
      Buffer.concat([head, frames[0]!, frames[2]!, frames[3]!]), // a middle frame dropped
      Buffer.concat([sealed, Buffer.from("extra")]), // bytes after the final frame
      Buffer.concat([sealed, sealed.subarray(HEAD, HEAD + FRAME)]), // a frame replayed at the end
    ];
    const flipped = Buffer.from(sealed);
    flipped[HEAD + FRAME + 10]! ^= 1;
    bad.push(flipped);
    for (const b of bad) await expect(open(key, b)).rejects.toMatchObject({ name: "CryptoError", code: "DECRYPT_FAILED" });
    await expect(open(key, sealed.subarray(0, 10))).rejects.toMatchObject({ code: "MALFORMED_CIPHERTEXT" });
    await expect(open(key, Buffer.from("PK\x03\x04 a plain zip, not sealed at all......"))).rejects.toMatchObject({ code: "MALFORMED_CIPHERTEXT" });
  });

  it("refuses the wrong key and another archive's binding (tenant, export id)", async () => {
    const key = await newStreamKey();
    const sealed = await seal(key, randomBytes(2 * FRAME_PLAIN));
    await expect(open(await newStreamKey(), sealed)).rejects.toMatchObject({ code: "DECRYPT_FAILED" });
    await expect(open(key, sealed, ["tenant-1", "export-2"])).rejects.toMatchObject({ code: "DECRYPT_FAILED" });
    await expect(open(key, sealed, ["tenant-2", "export-1"])).rejects.toMatchObject({ code: "DECRYPT_FAILED" });
    await expect(open("not-a-key", sealed)).rejects.toMatchObject({ code: "MALFORMED_CIPHERTEXT" });
  });
});
