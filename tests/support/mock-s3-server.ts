/**
 * A local S3-compatible HTTP server for tests (path-style: /<bucket>/<key>):
 * PutObject, GetObject (404 NoSuchKey XML), DeleteObject (204, also for a
 * missing key), with the SigV4 Authorization header checked in full — shape,
 * access key, scope, and the signature recomputed from the canonical request
 * with the secret — and x-amz-content-sha256 checked against the body.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLocal, readBodyBytes } from "./mock-http";

export type MockS3 = {
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, { bytes: Buffer; contentType: string }>;
  requests: Array<{ method: string; path: string; status: number; code?: string }>;
  /** Next requests of this method fail with 500 InternalError (to test failure handling). */
  failNext: (method: string, count?: number) => void;
  close: () => Promise<void>;
};

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

const xmlError = (res: ServerResponse, status: number, code: string, message: string) => {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
};

/** RFC 3986 encoding as SigV4 wants it for query components. */
const encodeRfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);


export const startMockS3 = async (opts: { bucket?: string; region?: string; accessKeyId?: string; secretAccessKey?: string } = {}): Promise<MockS3> => {
  const bucket = opts.bucket ?? "ocsuite-test";
  const region = opts.region ?? "us-east-1";
  const accessKeyId = opts.accessKeyId ?? "AKIAMOCKS3TEST";
  const secretAccessKey = opts.secretAccessKey ?? "mock-secret-key-0123456789";
  const objects = new Map<string, { bytes: Buffer; contentType: string }>();
  const requests: MockS3["requests"] = [];
  const failures = new Map<string, number>();

  /** Returns an error code, or null when the request is signed correctly. */
  const verify = (req: IncomingMessage, rawPath: string, rawQuery: string, body: Buffer): { status: number; code: string } | null => {
    const auth = req.headers.authorization;
    const amzDate = req.headers["x-amz-date"];
    const payloadHash = req.headers["x-amz-content-sha256"];
    if (typeof auth !== "string" || typeof amzDate !== "string" || typeof payloadHash !== "string") return { status: 403, code: "AccessDenied" };
    const m = AUTH_PATTERN.exec(auth);
    if (!m) return { status: 400, code: "AuthorizationHeaderMalformed" };
    const [, keyId, date, scopeRegion, signedHeadersList, signature] = m as unknown as [string, string, string, string, string, string];
    if (keyId !== accessKeyId) return { status: 403, code: "InvalidAccessKeyId" };
    if (scopeRegion !== region || !amzDate.startsWith(date)) return { status: 400, code: "AuthorizationHeaderMalformed" };
    const signedHeaders = signedHeadersList.split(";");
    if (!signedHeaders.includes("host") || !signedHeaders.includes("x-amz-date") || !signedHeaders.includes("x-amz-content-sha256")) {
      return { status: 400, code: "AuthorizationHeaderMalformed" };
    }
    if (payloadHash !== "UNSIGNED-PAYLOAD" && payloadHash !== sha256Hex(body)) return { status: 400, code: "XAmzContentSHA256Mismatch" };

    const canonicalQuery = rawQuery
      .split("&")
      .filter((p) => p.length > 0)
      .map((p) => {
        const [k, v = ""] = p.split("=") as [string, string?];
        return [encodeRfc3986(decodeURIComponent(k)), encodeRfc3986(decodeURIComponent(v))] as const;
      })
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    const canonicalHeaders = signedHeaders
      .map((h) => {
        const v = req.headers[h];
        return `${h}:${(Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ")}\n`;
      })
      .join("");
    // S3 signs the path as sent (it is not normalised or encoded twice).
    const canonicalRequest = [req.method, rawPath, canonicalQuery, canonicalHeaders, signedHeadersList, payloadHash].join("\n");
    const scope = `${date}/${region}/s3/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), "s3"), "aws4_request");
    const expected = createHmac("sha256", signingKey).update(stringToSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return { status: 403, code: "SignatureDoesNotMatch" };
    return null;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const [rawPath = "/", rawQuery = ""] = (req.url ?? "/").split("?") as [string, string?];
      const body = await readBodyBytes(req);
      const record = (status: number, code?: string) => requests.push({ method: req.method ?? "", path: rawPath, status, code });

      const bad = verify(req, rawPath, rawQuery, body);
      if (bad) {
        record(bad.status, bad.code);
        return xmlError(res, bad.status, bad.code, "request refused by the mock");
      }
      const left = failures.get(req.method ?? "") ?? 0;
      if (left > 0) {
        failures.set(req.method ?? "", left - 1);
        record(500, "InternalError");
        return xmlError(res, 500, "InternalError", "injected failure");
      }
      const [, b, ...rest] = rawPath.split("/");
      const key = rest.map((s) => decodeURIComponent(s)).join("/");
      if (b !== bucket) {
        record(404, "NoSuchBucket");
        return xmlError(res, 404, "NoSuchBucket", "The specified bucket does not exist");
      }
      if (!key) {
        record(400, "InvalidRequest");
        return xmlError(res, 400, "InvalidRequest", "bucket operations are not implemented");
      }
      switch (req.method) {
        case "PUT": {
          objects.set(key, { bytes: body, contentType: req.headers["content-type"] ?? "binary/octet-stream" });
          record(200);
          res.writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` });
          return res.end();
        }
        case "GET": {
          const obj = objects.get(key);
          if (!obj) {
            record(404, "NoSuchKey");
            return xmlError(res, 404, "NoSuchKey", "The specified key does not exist.");
          }
          record(200);
          res.writeHead(200, { "content-type": obj.contentType, "content-length": String(obj.bytes.byteLength) });
          return res.end(obj.bytes);
        }
        case "DELETE": {
          objects.delete(key);
          record(204);
          res.writeHead(204);
          return res.end();
        }
        default:
          record(405, "MethodNotAllowed");
          return xmlError(res, 405, "MethodNotAllowed", "not implemented by the mock");
      }
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  const { origin, close } = await listenLocal(server);
  return {
    url: origin,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    objects,
    requests,
    failNext: (method, count = 1) => void failures.set(method, count),
    close,
  };
};
