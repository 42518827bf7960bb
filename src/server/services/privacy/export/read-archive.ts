import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Unzip, UnzipInflate, UnzipPassThrough } from "fflate";
import { MANIFEST_FILE, ZManifest, type TExportScope, type TManifest } from "./format";
import { documentsOf, sectionsOf } from "./sections";
import { db } from "~/server/db/client";

/*
 * Reads an export archive back (the re-import check of issue 16, also what an operator or the e2e
 * journey runs on a downloaded file): streams the zip (fflate's Unzip: never whole in memory),
 * hashes every file, counts the lines of every .jsonl, then checks each file against the manifest
 * (present, same size, same SHA-256; nothing extra) and, with `compareCounts`, the manifest's
 * counts against the database.
 */

type ArchiveFileRead = { bytes: number; sha256: string; lines: number };
export type ArchiveRead = { manifest: TManifest; files: Map<string, ArchiveFileRead>; problems: string[] };

type Reading = { hash: Hash; bytes: number; lines: number; text: string[] | null };

const NEWLINE = 10;

/** Opens the archive at `filePath`; `onLine` sees every line of every .jsonl file (to look for a known record). */
export const readArchive = async (filePath: string, opts: { onLine?: (path: string, line: string) => void } = {}): Promise<ArchiveRead> => {
  const open = new Map<string, Reading>();
  const done = new Map<string, ArchiveFileRead>();
  const texts = new Map<string, string>();
  const decoder = new TextDecoder();
  let failure: Error | null = null;

  const unzip = new Unzip((file) => {
    const keepText = file.name === MANIFEST_FILE || (opts.onLine !== undefined && file.name.endsWith(".jsonl"));
    const r: Reading = { hash: createHash("sha256"), bytes: 0, lines: 0, text: keepText ? [] : null };
    open.set(file.name, r);
    let partial = "";
    file.ondata = (err, chunk, final) => {
      if (err) return void (failure ??= err);
      r.hash.update(chunk);
      r.bytes += chunk.byteLength;
      for (const b of chunk) if (b === NEWLINE) r.lines += 1;
      if (r.text) {
        const text = partial + decoder.decode(chunk, { stream: !final });
        if (file.name === MANIFEST_FILE) r.text.push(text);
        else {
          const lines = text.split("\n");
          partial = lines.pop() ?? "";
          for (const line of lines) opts.onLine?.(file.name, line);
        }
      }
      if (final) {
        done.set(file.name, { bytes: r.bytes, sha256: r.hash.digest("hex"), lines: r.lines });
        if (file.name === MANIFEST_FILE) texts.set(file.name, r.text!.join(""));
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  for await (const chunk of createReadStream(filePath)) {
    unzip.push(chunk as Uint8Array);
    if (failure) throw failure;
  }
  unzip.push(new Uint8Array(0), true);
  if (failure) throw failure;

  const raw = texts.get(MANIFEST_FILE);
  if (!raw) throw new Error("The archive has no manifest.json");
  const manifest = ZManifest.parse(JSON.parse(raw));
  const problems: string[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of manifest.files) {
    const got = done.get(f.path);
    if (!got) problems.push(`missing: ${f.path}`);
    else if (got.sha256 !== f.sha256 || got.bytes !== f.bytes) problems.push(`hash mismatch: ${f.path}`);
  }
  for (const name of done.keys()) if (name !== MANIFEST_FILE && !listed.has(name)) problems.push(`not in the manifest: ${name}`);
  return { manifest, files: done, problems };
};

/**
 * The manifest's counts against the database now and against the archive's own line counts:
 * a list of differences (empty when the archive holds exactly what the database holds).
 */
export const compareCounts = async (read: ArchiveRead, target: { tenantId: string; userId: string }): Promise<string[]> => {
  const scope: TExportScope = read.manifest.scope;
  // The archive is of its manifest's createdAt (the audit chain is cut there).
  const t = { ...target, scope, asOf: new Date(read.manifest.createdAt) };
  const diffs: string[] = [];
  for (const s of sectionsOf(t)) {
    const inDb = await s.count();
    const inManifest = read.manifest.counts[s.key];
    const lines = read.files.get(s.file)?.lines;
    if (inManifest !== inDb) diffs.push(`${s.key}: manifest ${inManifest}, database ${inDb}`);
    if (lines !== inDb) diffs.push(`${s.file}: ${lines} lines, database ${inDb}`);
  }
  const docs = await db.document.count({ where: documentsOf(t) });
  const originals = [...read.files.keys()].filter((f) => f.startsWith("documents/")).length;
  if (originals + read.manifest.missingOriginals.length !== docs) diffs.push(`documentOriginals: ${originals} files (+${read.manifest.missingOriginals.length} missing), database ${docs} documents`);
  return diffs;
};
