import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import { AppError } from "~/server/errors";
import type { StreamSealer } from "./archive-stream";
import type { TManifest } from "./format";

/*
 * Streams a zip archive to a local file with fflate (already a dependency; it writes zip entries
 * as they are pushed, so no file or table is ever whole in memory). Each entry's SHA-256 and size
 * are computed as its bytes pass, for the manifest; the archive's own size is counted as it is
 * written and the build stops at the first byte over `maxBytes` with `exportTooLarge`. fflate
 * has no backpressure of its own: after each push the writer waits for the file stream to drain.
 * The zip bytes go through `sealer` before they touch the disk (archive-cipher.ts): the local file,
 * and the object stored from it, hold the sealed stream only. Size and SHA-256 stay the zip's own
 * (what the download serves and the user checks).
 */

type ArchiveEntry = TManifest["files"][number];

export type ArchiveWriter = {
  /** Adds one file, its content pushed chunk by chunk. */
  addFile: (path: string, chunks: AsyncIterable<Uint8Array | string>, opts?: { compress?: boolean }) => Promise<ArchiveEntry>;
  /** Adds one small file whole (manifest, README, settings). */
  addText: (path: string, text: string) => Promise<ArchiveEntry>;
  /** Ends the archive: its size and SHA-256 (of the zip file). */
  finish: () => Promise<{ sizeBytes: number; sha256: string }>;
  /** Stops writing after a failure (the caller removes the file). */
  abort: () => void;
  entries: ArchiveEntry[];
};

const encoder = new TextEncoder();
const toBytes = (chunk: Uint8Array | string) => (typeof chunk === "string" ? encoder.encode(chunk) : chunk);

async function* once_(text: string) {
  yield text;
}

export const createArchiveWriter = (filePath: string, maxBytes: number, sealer: StreamSealer): ArchiveWriter => {
  const out: WriteStream = createWriteStream(filePath, { mode: 0o600 });
  out.write(sealer.header);
  const zipHash = createHash("sha256");
  let written = 0;
  let failure: Error | null = null;
  let finished: (() => void) | null = null;
  const done = new Promise<void>((resolve) => (finished = resolve));
  out.on("error", (err) => (failure ??= err));

  const zip = new Zip((err, chunk, final) => {
    if (err) failure ??= err;
    else {
      written += chunk.byteLength;
      if (written > maxBytes) failure ??= new AppError("PAYLOAD_TOO_LARGE", "exportTooLarge", `The archive would exceed ${maxBytes} bytes`);
      if (!failure) {
        zipHash.update(chunk);
        for (const frame of sealer.update(chunk)) out.write(frame);
      }
    }
    if (final) finished?.();
  });

  const settle = async () => {
    if (failure) throw failure;
    if (out.writableNeedDrain) await once(out, "drain");
    if (failure) throw failure;
  };

  const entries: ArchiveEntry[] = [];

  const addFile: ArchiveWriter["addFile"] = async (path, chunks, opts) => {
    // Originals are mostly compressed formats already (PDF, DOCX): stored as they are, saving CPU.
    const file = opts?.compress === false ? new ZipPassThrough(path) : new ZipDeflate(path, { level: 6 });
    zip.add(file);
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of chunks) {
      const b = toBytes(chunk);
      if (b.byteLength === 0) continue;
      hash.update(b);
      bytes += b.byteLength;
      file.push(b, false);
      await settle();
    }
    file.push(new Uint8Array(0), true);
    await settle();
    const entry = { path, bytes, sha256: hash.digest("hex") };
    entries.push(entry);
    return entry;
  };

  return {
    entries,
    addFile,
    addText: (path, text) => addFile(path, once_(text)),
    finish: async () => {
      zip.end();
      await done;
      await settle();
      out.end(sealer.final());
      await once(out, "finish");
      if (failure) throw failure;
      return { sizeBytes: written, sha256: zipHash.digest("hex") };
    },
    abort: () => {
      failure ??= new Error("aborted");
      zip.terminate();
      out.destroy();
    },
  };
};
