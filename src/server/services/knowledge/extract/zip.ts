import { Inflate } from "fflate";
import { KnowledgeError } from "../errors";

// A minimal, bounded zip reader for DOCX. We read the central directory
// ourselves (instead of a library that inflates every entry into memory) so
// that every limit is checked before and while anything is inflated:
// - the entry count, before the entries are even parsed;
// - the declared uncompressed sizes and compression ratios, before inflating;
// - the ACTUAL inflated bytes, while inflating, in small steps: declared sizes
//   are attacker-controlled, so inflation stops the moment it produces more
//   than the entry declared or than the remaining budget.
// Inflated data is handed to a sink chunk by chunk and never accumulated here.

export type ZipEntry = {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
};

export type ZipLimits = { maxUnzippedBytes: number; maxZipEntries: number };

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

/** An entry whose data inflates more than this many times its compressed size is a bomb, not a document. */
export const MAX_COMPRESSION_RATIO = 200;
/** …unless it is small: tiny entries (e.g. runs of spaces) can legitimately have absurd ratios. */
const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
/** Compressed bytes fed to the inflater per step; deflate expands at most ~1032x, so one step yields at most ~4 MiB. */
const INFLATE_STEP = 4 * 1024;

const malformed = (why: string) => new KnowledgeError("malformedFile", `zip: ${why}`);
const tooLarge = (why: string) => new KnowledgeError("archiveTooLarge", `zip: ${why}`);

export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export class ZipReader {
  readonly entries: ZipEntry[];
  private readonly view: DataView;
  private inflatedTotal = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    entries: ZipEntry[],
    private readonly limits: ZipLimits,
  ) {
    this.entries = entries;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Parses the central directory and enforces entry-count, declared-size and ratio limits. */
  static open(bytes: Uint8Array, limits: ZipLimits): ZipReader {
    const entries = readCentralDirectory(bytes, limits.maxZipEntries);
    let declared = 0;
    for (const e of entries) {
      if (e.flags & 0x1) throw new KnowledgeError("encryptedFile", `zip: entry ${e.name} is encrypted`);
      declared += e.uncompressedSize;
      if (declared > limits.maxUnzippedBytes) throw tooLarge(`declared uncompressed size exceeds ${limits.maxUnzippedBytes} bytes`);
      if (e.uncompressedSize > RATIO_CHECK_MIN_BYTES && e.uncompressedSize / Math.max(1, e.compressedSize) > MAX_COMPRESSION_RATIO) {
        throw tooLarge(`entry ${e.name} has an absurd compression ratio`);
      }
    }
    return new ZipReader(bytes, entries, limits);
  }

  find(name: string): ZipEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /**
   * Inflates one entry, passing each output chunk to `sink` as it is produced.
   * Throws archiveTooLarge as soon as the entry produces more bytes than it
   * declared or the reader's total budget is spent; malformedFile on corrupt data.
   */
  read(entry: ZipEntry, sink: (chunk: Uint8Array) => void): void {
    const { view, bytes } = this;
    const off = entry.localHeaderOffset;
    if (off + 30 > bytes.length || view.getUint32(off, true) !== SIG_LOCAL) throw malformed(`bad local header for ${entry.name}`);
    const start = off + 30 + view.getUint16(off + 26, true) + view.getUint16(off + 28, true);
    const end = start + entry.compressedSize;
    if (end > bytes.length) throw malformed(`entry ${entry.name} is truncated`);

    let produced = 0;
    const account = (n: number) => {
      produced += n;
      this.inflatedTotal += n;
      if (produced > entry.uncompressedSize) throw tooLarge(`entry ${entry.name} inflates beyond its declared size`);
      if (this.inflatedTotal > this.limits.maxUnzippedBytes) throw tooLarge(`inflated data exceeds ${this.limits.maxUnzippedBytes} bytes`);
    };

    if (entry.method === 0) {
      account(entry.compressedSize);
      sink(bytes.subarray(start, end));
    } else if (entry.method === 8) {
      let ended = false;
      const inflater = new Inflate((chunk, final) => {
        account(chunk.length);
        if (chunk.length) sink(chunk);
        if (final) ended = true;
      });
      try {
        for (let p = start; p < end; p += INFLATE_STEP) {
          const stop = Math.min(p + INFLATE_STEP, end);
          inflater.push(bytes.subarray(p, stop), stop === end);
          if (ended) break;
        }
        if (start === end) inflater.push(new Uint8Array(0), true);
      } catch (err) {
        if (err instanceof KnowledgeError) throw err;
        throw new KnowledgeError("malformedFile", `zip: entry ${entry.name} does not inflate`, { cause: err });
      }
      if (!ended) throw malformed(`entry ${entry.name} ends early`);
    } else {
      throw malformed(`entry ${entry.name} uses unsupported compression method ${entry.method}`);
    }
    if (produced !== entry.uncompressedSize) throw malformed(`entry ${entry.name} size does not match its header`);
  }

  /** Convenience for small entries (styles, metadata): inflate fully, still within the limits. */
  readAll(entry: ZipEntry): Uint8Array {
    const parts: Uint8Array[] = [];
    let n = 0;
    this.read(entry, (c) => {
      parts.push(c.slice());
      n += c.length;
    });
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

function findEocd(bytes: Uint8Array, view: DataView): number {
  // The EOCD record is 22 bytes plus a comment of at most 65535 bytes.
  const min = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= min; i--) {
    if (bytes[i] === 0x50 && view.getUint32(i, true) === SIG_EOCD) return i;
  }
  return -1;
}

function readCentralDirectory(bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(bytes, view);
  if (eocd < 0) throw malformed("no end of central directory");
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);

  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // Zip64: the real values are in the zip64 EOCD record, found via its locator.
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== SIG_EOCD64_LOCATOR) throw malformed("zip64 locator missing");
    const rec = readU64(view, loc + 8);
    if (rec + 56 > bytes.length || view.getUint32(rec, true) !== SIG_EOCD64) throw malformed("zip64 record missing");
    count = readU64(view, rec + 32);
    cdSize = readU64(view, rec + 40);
    cdOffset = readU64(view, rec + 48);
  }
  // Checked before parsing a single entry: a directory of a million entries costs nothing to refuse.
  if (count > maxEntries) throw tooLarge(`${count} entries (limit ${maxEntries})`);
  if (cdOffset + cdSize > bytes.length) throw malformed("central directory out of bounds");

  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== SIG_CENTRAL) throw malformed("bad central directory entry");
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    let compressedSize = view.getUint32(p + 20, true);
    let uncompressedSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen > bytes.length) throw malformed("central directory entry out of bounds");
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));

    // Zip64 extra field (0x0001) carries the 64-bit values that are 0xFFFFFFFF above, in this order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = view.getUint16(x, true);
      const size = view.getUint16(x + 2, true);
      if (id === 0x0001) {
        let q = x + 4;
        const take = () => {
          if (q + 8 > x + 4 + size) throw malformed("short zip64 extra field");
          const v = readU64(view, q);
          q += 8;
          return v;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      x += 4 + size;
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function readU64(view: DataView, at: number): number {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  // Anything beyond 2^53 is nonsense for us; it will fail the size limits anyway.
  return hi * 0x1_0000_0000 + lo;
}

/** Inflates `data` but gives up (null) past `max` output bytes or on corrupt/truncated input. */
function inflateAtMost(data: Uint8Array, max: number): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    const inflater = new Inflate((chunk) => {
      n += chunk.length;
      if (n > max) throw tooLarge("sniffed entry too large");
      parts.push(chunk.slice());
    });
    for (let p = 0; p < data.length; p += INFLATE_STEP) inflater.push(data.subarray(p, p + INFLATE_STEP), p + INFLATE_STEP >= data.length);
  } catch {
    if (n > max || n === 0) return null;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * What a zip says about itself, for content detection: entry names from the
 * central directory when it parses; otherwise (a cut-off upload) the names of
 * the local headers from the start, plus the text of [Content_Types].xml when
 * it is there, so a truncated DOCX is still recognised as one (and then fails
 * extraction as malformed instead of being called "unsupported").
 */
export function sniffZip(bytes: Uint8Array, max = 10_000): { names: string[]; contentTypes: string | null; complete: boolean } {
  try {
    return { names: readCentralDirectory(bytes, max).map((e) => e.name), contentTypes: null, complete: true };
  } catch {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const decoder = new TextDecoder();
    const names: string[] = [];
    let contentTypes: string | null = null;
    let p = 0;
    while (names.length < 50 && p + 30 <= bytes.length && view.getUint32(p, true) === SIG_LOCAL) {
      const flags = view.getUint16(p + 6, true);
      const method = view.getUint16(p + 8, true);
      const compressedSize = view.getUint32(p + 18, true);
      const nameLen = view.getUint16(p + 26, true);
      const extraLen = view.getUint16(p + 28, true);
      const name = decoder.decode(bytes.subarray(p + 30, Math.min(bytes.length, p + 30 + nameLen)));
      names.push(name);
      const data = p + 30 + nameLen + extraLen;
      if (name === "[Content_Types].xml" && !(flags & 0x8) && data + compressedSize <= bytes.length) {
        const raw = bytes.subarray(data, data + compressedSize);
        const xml = method === 0 ? raw : method === 8 ? inflateAtMost(raw, 1024 * 1024) : null;
        if (xml) contentTypes = decoder.decode(xml);
      }
      // With a data descriptor (bit 3) the size is unknown here; stop walking.
      if (flags & 0x8) break;
      p = data + compressedSize;
    }
    return { names, contentTypes, complete: false };
  }
}
