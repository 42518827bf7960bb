/**
 * Object storage drivers: the fs driver on a real temporary directory, the S3
 * driver over real HTTP against tests/support/mock-s3-server.ts (which checks
 * the SigV4 signature in full).
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockS3, type MockS3 } from "../../../../tests/support/mock-s3-server";
import { createFsStorage, createS3Storage, documentOriginalKey, InvalidStorageKeyError, isValidKey, ObjectNotFoundError } from "./index";
import { getObjectStream, putObjectFile } from "./streaming";

/** A stream's bytes, whole (tests only). */
const bytesOf = async (stream: ReadableStream<Uint8Array>) => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
};

const BAD_KEYS = ["", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a/", ".hidden", "a/.tmp-x", "a\\b", "C:\\x", "a\0b", "ä/b", "a b", "x".repeat(1025), "%2e%2e/x"];

describe("storage keys", () => {
  it("accepts plain relative paths and refuses everything that could escape or be ambiguous", () => {
    expect(isValidKey("tenants/t1/documents/d1/original")).toBe(true);
    expect(isValidKey("a-b_c.d/e.f")).toBe(true);
    for (const k of BAD_KEYS) expect(isValidKey(k), JSON.stringify(k)).toBe(false);
  });
  it("names a document's original by ids only", () => {
    expect(documentOriginalKey("cten", "cdoc")).toBe("tenants/cten/documents/cdoc/original");
    expect(() => documentOriginalKey("../t", "d")).toThrow(InvalidStorageKeyError);
  });
});

describe("fs driver", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ocsuite-storage-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("puts, gets, overwrites and deletes; delete is idempotent and tidies the empty folder", async () => {
    const s = createFsStorage(path.join(dir, "root"));
    const key = "tenants/t1/documents/d1/original";
    await s.put(key, new TextEncoder().encode("first"));
    expect(new TextDecoder().decode(await s.get(key))).toBe("first");
    await s.put(key, new TextEncoder().encode("second"));
    expect(new TextDecoder().decode(await s.get(key))).toBe("second");
    expect(await readFile(path.join(dir, "root", "tenants", "t1", "documents", "d1", "original"), "utf8")).toBe("second");
    await s.delete(key);
    await s.delete(key);
    await expect(s.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(stat(path.join(dir, "root", "tenants", "t1", "documents", "d1"))).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readdir(path.join(dir, "root", "tenants", "t1", "documents"))).toEqual([]);
  });

  it("streams a local file in (putFile) and an object out (getStream), for archives too large to buffer", async () => {
    const s = createFsStorage(path.join(dir, "root"));
    const source = path.join(dir, "archive.zip");
    const bytes = Buffer.alloc(3_000_000, 7);
    await writeFile(source, bytes);
    await putObjectFile(s, "exports/t1/x1.zip", source);
    expect(Buffer.compare(await bytesOf(await getObjectStream(s, "exports/t1/x1.zip")), bytes)).toBe(0);
    expect((await readdir(path.join(dir, "root", "exports", "t1"))).filter((f) => f.startsWith(".tmp-"))).toEqual([]);
    await expect(getObjectStream(s, "exports/t1/missing.zip")).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("refuses path traversal and odd keys on every operation, touching nothing outside the root", async () => {
    const root = path.join(dir, "root");
    const s = createFsStorage(root);
    const outside = path.join(dir, "outside.txt");
    await writeFile(outside, "keep me");
    for (const key of [...BAD_KEYS, "../outside.txt", "tenants/../../outside.txt"]) {
      await expect(s.put(key, new Uint8Array([1])), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(s.get(key), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(s.delete(key), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
    }
    expect(await readFile(outside, "utf8")).toBe("keep me");
    await expect(stat(root)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("writes atomically: no temporary file remains, and concurrent writers leave one whole version", async () => {
    const s = createFsStorage(dir);
    const key = "a/obj";
    const versions = Array.from({ length: 8 }, (_, i) => new Uint8Array(256 * 1024).fill(i + 1));
    await Promise.all(versions.map((v) => s.put(key, v)));
    const got = await s.get(key);
    expect(got.byteLength).toBe(256 * 1024);
    // Every byte comes from the same writer: never a mix of two.
    expect(new Set(got).size).toBe(1);
    expect(await readdir(path.join(dir, "a"))).toEqual(["obj"]);
  });

  it("a failed write leaves neither the object nor a temporary file", async () => {
    const s = createFsStorage(dir);
    // A file where the object's folder should be: the write cannot happen.
    await writeFile(path.join(dir, "blocked"), "file, not a folder");
    await expect(s.put("blocked/obj", new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
    await expect(s.get("blocked/obj")).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await readdir(dir)).toEqual(["blocked"]);
  });
});

describe("s3 driver (against a local S3-compatible server)", () => {
  let s3: MockS3;
  beforeAll(async () => {
    s3 = await startMockS3();
  });
  afterAll(async () => {
    await s3.close();
  });
  beforeEach(() => {
    s3.requests.length = 0;
  });

  const driver = (over: { secretAccessKey?: string; bucket?: string } = {}) =>
    createS3Storage({
      bucket: over.bucket ?? s3.bucket,
      region: s3.region,
      endpoint: s3.url,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: over.secretAccessKey ?? s3.secretAccessKey },
    });

  it("puts, gets and deletes with correctly signed requests", async () => {
    const s = driver();
    const key = "tenants/t1/documents/d1/original";
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    await s.put(key, bytes, { contentType: "application/pdf" });
    expect(s3.objects.get(key)).toMatchObject({ contentType: "application/pdf" });
    expect(Buffer.compare(s3.objects.get(key)!.bytes, Buffer.from(bytes))).toBe(0);
    expect(Buffer.compare(Buffer.from(await s.get(key)), Buffer.from(bytes))).toBe(0);
    await s.delete(key);
    await s.delete(key); // idempotent
    expect(s3.objects.has(key)).toBe(false);
    expect(s3.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["PUT", `/${s3.bucket}/${key}`, 200],
      ["GET", `/${s3.bucket}/${key}`, 200],
      ["DELETE", `/${s3.bucket}/${key}`, 204],
      ["DELETE", `/${s3.bucket}/${key}`, 204],
    ]);
  });

  it("streams a file in with its length (one signed PUT) and an object out", async () => {
    const s = driver();
    const dir = await mkdtemp(path.join(tmpdir(), "ocsuite-s3-stream-"));
    try {
      const source = path.join(dir, "archive.zip");
      const bytes = Buffer.alloc(200_000).map((_, i) => i % 253);
      await writeFile(source, bytes);
      await putObjectFile(s, "exports/t1/x1.zip", source, { contentType: "application/zip" });
      expect(s3.objects.get("exports/t1/x1.zip")).toMatchObject({ contentType: "application/zip" });
      expect(Buffer.compare(await bytesOf(await getObjectStream(s, "exports/t1/x1.zip")), bytes)).toBe(0);
      await expect(getObjectStream(s, "exports/t1/missing.zip")).rejects.toBeInstanceOf(ObjectNotFoundError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a missing key is ObjectNotFoundError (404 NoSuchKey)", async () => {
    await expect(driver().get("tenants/t1/documents/nope/original")).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(s3.requests.at(-1)).toMatchObject({ status: 404, code: "NoSuchKey" });
  });

  it("a wrong secret is refused by the signature check; a wrong bucket is an error", async () => {
    await expect(driver({ secretAccessKey: "not-the-secret" }).put("a/b", new Uint8Array([1]))).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
    expect(s3.objects.has("a/b")).toBe(false);
    await expect(driver({ bucket: "other-bucket" }).put("a/b", new Uint8Array([1]))).rejects.toMatchObject({ name: "NoSuchBucket" });
  });

  it("retries a transient 500 and then succeeds", async () => {
    s3.failNext("PUT", 1);
    await driver().put("retry/obj", new Uint8Array([9]));
    expect(s3.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(s3.objects.get("retry/obj")?.bytes).toEqual(Buffer.from([9]));
  });

  it("validates keys before any request", async () => {
    await expect(driver().put("../escape", new Uint8Array([1]))).rejects.toBeInstanceOf(InvalidStorageKeyError);
    expect(s3.requests).toEqual([]);
  });
});

describe("storage configuration (src/env.js, loaded in a clean Node process as at start)", () => {
  const load = (extra: Record<string, string>) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", NODE_ENV: "test", DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", AUTH_SECRET: "x".repeat(40), ...extra };
    try {
      execFileSync(process.execPath, ["-e", `import(${JSON.stringify(path.resolve("src/env.js"))}).then(() => console.log("ok"))`], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return { ok: true, output: "" };
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string };
      return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
  };

  it("accepts the fs default and a complete s3 configuration", () => {
    expect(load({})).toMatchObject({ ok: true });
    expect(load({ STORAGE_DRIVER: "s3", S3_BUCKET: "ocsuite-docs", S3_ENDPOINT: "http://127.0.0.1:9000", S3_FORCE_PATH_STYLE: "true", S3_ACCESS_KEY_ID: "k", S3_SECRET_ACCESS_KEY: "s" })).toMatchObject({ ok: true });
  });

  it.each([
    ["S3_BUCKET", { STORAGE_DRIVER: "s3" }],
    ["S3_BUCKET", { STORAGE_DRIVER: "s3", S3_BUCKET: "Bad_Bucket" }],
    ["S3_SECRET_ACCESS_KEY", { STORAGE_DRIVER: "s3", S3_BUCKET: "ocsuite-docs", S3_ACCESS_KEY_ID: "k" }],
    ["S3_ENDPOINT", { STORAGE_DRIVER: "s3", S3_BUCKET: "ocsuite-docs", S3_ENDPOINT: "not a url" }],
    ["STORAGE_DRIVER", { STORAGE_DRIVER: "ftp" }],
    ["KNOWLEDGE_MAX_FILE_BYTES", { KNOWLEDGE_MAX_FILE_BYTES: "0" }],
  ])("a bad %s stops start-up with a message naming it", (name, extra) => {
    const res = load(extra);
    expect(res.ok).toBe(false);
    expect(res.output).toContain(`- ${name}:`);
  });
});
