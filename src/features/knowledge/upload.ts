import { documentsUploadUrl } from "~/lib/document-urls";

/*
 * One file, one request (the protocol of POST /api/t/<slug>/documents: the raw
 * bytes as the body, the name percent-encoded in x-filename). XMLHttpRequest
 * rather than fetch: fetch reports no upload progress.
 */

export type UploadedDocument = { id: string; title: string; status: string };

export type UploadResult =
  | { ok: true; duplicate: boolean; document: UploadedDocument }
  | { ok: false; reason: string; retryAfterSeconds: number | null };

/** The reason an HTTP status implies when the body does not say (0: the request never completed). */
const STATUS_REASONS: Record<number, string> = {
  0: "network",
  400: "invalidInput",
  401: "unauthorized",
  403: "forbidden",
  404: "notFound",
  413: "fileTooLarge",
  415: "unsupportedFileType",
  429: "rateLimited",
};
const reasonForStatus = (status: number) => STATUS_REASONS[status] ?? "generic";

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** Reads the server's answer: the document, or the stable error reason. */
export const uploadResultOf = (status: number, body: string, retryAfter: string | null): UploadResult => {
  const json = parseJson(body) as { document?: { id?: unknown; title?: unknown; status?: unknown }; duplicate?: unknown; error?: { reason?: unknown } } | null;
  if ((status === 200 || status === 201) && json?.document && typeof json.document.id === "string") {
    return {
      ok: true,
      duplicate: json.duplicate === true,
      document: { id: json.document.id, title: typeof json.document.title === "string" ? json.document.title : "", status: String(json.document.status ?? "queued") },
    };
  }
  const reason = typeof json?.error?.reason === "string" && json.error.reason ? json.error.reason : reasonForStatus(status >= 200 && status < 300 ? 500 : status);
  const seconds = Number(retryAfter);
  return { ok: false, reason, retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : null };
};

/** Uploads one file; never rejects (a network failure is `{ ok: false, reason: "network" }`). */
export const uploadFile = (tenantSlug: string, file: File, opts: { onProgress: (fraction: number) => void; signal?: AbortSignal }): Promise<UploadResult> =>
  new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", documentsUploadUrl(tenantSlug));
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader("x-filename", encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress(e.loaded / e.total);
    };
    xhr.onload = () => resolve(uploadResultOf(xhr.status, xhr.responseText, xhr.getResponseHeader("retry-after")));
    xhr.onerror = () => resolve({ ok: false, reason: "network", retryAfterSeconds: null });
    xhr.onabort = () => resolve({ ok: false, reason: "cancelled", retryAfterSeconds: null });
    opts.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
