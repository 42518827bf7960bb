import sodium from "libsodium-wrappers";
import { CryptoError } from "@ocsuite/crypto";

/*
 * The sealed form of an export archive at rest: libsodium's crypto_secretstream_xchacha20poly1305
 * (libsodium-wrappers), a reviewed streaming AEAD, rather than chunked AES-GCM of our own. It was
 * chosen because it already does what a hand-made STREAM construction would have to get right:
 * every frame is authenticated with an implicit counter (reordered or dropped frames fail), the
 * last frame carries TAG_FINAL (a stream cut at a frame boundary fails), keys are ratcheted, and
 * the 192-bit nonce comes from the header, so no nonce bookkeeping is ours. The archive can be
 * 2 GiB: it is sealed and opened frame by frame, never whole in memory.
 *
 * Layout: "ocx1" (4) ‖ secretstream header (24) ‖ frames. Every frame but the last holds exactly
 * FRAME_PLAIN bytes of zip (FRAME_PLAIN + 17 sealed), so a reader needs no length fields; the last
 * holds the remainder (possibly nothing) under TAG_FINAL. Every frame's additional data binds the
 * stream to what it is (tenant and export id): an object copied under another export fails.
 */

const MAGIC = new TextEncoder().encode("ocx1");
export const FRAME_PLAIN = 64 * 1024;

const lib = async () => {
  await sodium.ready;
  return sodium;
};

const aadOf = (parts: readonly string[]) => JSON.stringify(["ocsuite-export-archive", ...parts]);

/** A fresh 256-bit stream key (base64url): store it only encrypted (archive-cipher.ts). */
export const newStreamKey = async (): Promise<string> => Buffer.from((await lib()).crypto_secretstream_xchacha20poly1305_keygen()).toString("base64url");

const keyBytes = (s: typeof sodium, key: string): Uint8Array => {
  const raw = Buffer.from(key, "base64url");
  if (raw.length !== s.crypto_secretstream_xchacha20poly1305_KEYBYTES) throw new CryptoError("MALFORMED_CIPHERTEXT", "the archive key is not a 256-bit base64url key");
  return raw;
};

export type StreamSealer = {
  /** The bytes that start the sealed object (written before any frame). */
  header: Uint8Array;
  /** Takes zip bytes; returns the frames completed by them (zero or more). */
  update: (chunk: Uint8Array) => Uint8Array[];
  /** The last frame (TAG_FINAL): after it the sealer is done. */
  final: () => Uint8Array;
};

/** Seals a byte stream under `key`, bound to `aadParts`. */
export const createStreamSealer = async (key: string, aadParts: readonly string[]): Promise<StreamSealer> => {
  const s = await lib();
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(keyBytes(s, key));
  const ad = aadOf(aadParts);
  const buf = new Uint8Array(FRAME_PLAIN);
  let fill = 0;
  return {
    header: Buffer.concat([MAGIC, header]),
    update: (chunk) => {
      const out: Uint8Array[] = [];
      for (let off = 0; off < chunk.byteLength; ) {
        const n = Math.min(FRAME_PLAIN - fill, chunk.byteLength - off);
        buf.set(chunk.subarray(off, off + n), fill);
        fill += n;
        off += n;
        if (fill === FRAME_PLAIN) {
          out.push(s.crypto_secretstream_xchacha20poly1305_push(state, buf, ad, s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE));
          fill = 0;
        }
      }
      return out;
    },
    final: () => s.crypto_secretstream_xchacha20poly1305_push(state, buf.subarray(0, fill), ad, s.crypto_secretstream_xchacha20poly1305_TAG_FINAL),
  };
};

const failed = (what: string) => new CryptoError("DECRYPT_FAILED", `the sealed archive ${what}`);

/** The plaintext of a sealed stream, frame by frame; throws CryptoError on any tampering, truncation or wrong key. */
export async function* openSealedFrames(key: string, aadParts: readonly string[], sealed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const s = await lib();
  const rawKey = keyBytes(s, key);
  const ad = aadOf(aadParts);
  const frame = FRAME_PLAIN + s.crypto_secretstream_xchacha20poly1305_ABYTES;
  const headBytes = MAGIC.length + s.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  let state: ReturnType<typeof s.crypto_secretstream_xchacha20poly1305_init_pull> | null = null;
  let ended = false;
  let pending: Uint8Array = new Uint8Array(0);
  const open = (bytes: Uint8Array): Uint8Array => {
    if (ended) throw failed("has bytes after its final frame");
    const r = s.crypto_secretstream_xchacha20poly1305_pull(state!, bytes, ad);
    if (!r) throw failed("did not authenticate (wrong key, wrong archive, or tampered, reordered or missing bytes)");
    if (r.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) ended = true;
    else if (r.tag !== s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) throw failed("has an unexpected frame tag");
    return r.message;
  };
  for await (const chunk of sealed) {
    pending = pending.byteLength === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (!state) {
      if (pending.byteLength < headBytes) continue;
      if (!Buffer.from(pending.subarray(0, MAGIC.length)).equals(MAGIC)) throw new CryptoError("MALFORMED_CIPHERTEXT", "not a sealed archive");
      state = s.crypto_secretstream_xchacha20poly1305_init_pull(pending.subarray(MAGIC.length, headBytes), rawKey);
      pending = pending.subarray(headBytes);
    }
    while (pending.byteLength >= frame) {
      const plain = open(pending.subarray(0, frame));
      pending = pending.subarray(frame);
      if (plain.byteLength > 0) yield plain;
    }
  }
  if (!state) throw new CryptoError("MALFORMED_CIPHERTEXT", "not a sealed archive (too short)");
  if (pending.byteLength > 0) {
    const plain = open(pending);
    if (plain.byteLength > 0) yield plain;
  }
  if (!ended) throw failed("is truncated (no final frame)");
}
