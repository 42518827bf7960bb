"use client";

import { useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, CircleAlert, Copy, FileUp, RotateCcw, Upload, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import { Button } from "~/components/ui/button";
import { cn } from "~/lib/cn";
import { useTRPC } from "~/trpc/react";
import { useFormatBytes } from "./format-bytes";
import { uploadFile, type UploadResult } from "./upload";

/*
 * Uploads: a file picker (the real <input type="file" multiple>, opened by a
 * visible button) and a drop zone around it as an enhancement. Each file is
 * its own request with its own progress bar and its own outcome; a failed file
 * offers Retry and leaves the others alone. Outcomes are announced in a polite
 * live region.
 */

// Guides the system picker only: the server decides the type by content.
const ACCEPT = ".pdf,.docx,.md,.markdown,.txt,.csv,.html,.htm,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/markdown,text/plain,text/csv,text/html";

type Item = {
  key: string;
  file: File;
  /** 0…1 while uploading. */
  progress: number;
  state: { phase: "uploading" } | { phase: "done"; duplicate: boolean; documentId: string } | { phase: "error"; reason: string; retryAfterSeconds: number | null };
};

let counter = 0;
const nextKey = () => `u${++counter}`;

export const UploadPanel = ({ tenantSlug, maxFileBytes }: { tenantSlug: string; maxFileBytes: number }) => {
  const t = useTranslations("knowledge.upload");
  const te = useTranslations("errors");
  const formatBytes = useFormatBytes();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [announcements, setAnnouncements] = useState<{ key: string; text: string }[]>([]);
  const [dragging, setDragging] = useState(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const errorText = useCallback(
    (reason: string, retryAfterSeconds: number | null) => {
      if (reason === "fileTooLarge") return t("fileTooLarge", { limit: formatBytes(maxFileBytes) });
      if (reason === "rateLimited") return te("rateLimited", { seconds: retryAfterSeconds ?? 60 });
      if (reason === "network") return t("network");
      if (reason === "unauthenticated" || reason === "unauthorized") return te("unauthorized");
      if (reason === "crossOrigin") return te("forbidden");
      if (te.has(reason as "generic")) return te(reason as "generic");
      return te("generic");
    },
    [t, te, formatBytes, maxFileBytes],
  );

  const patch = (key: string, fn: (item: Item) => Item) => setItems((list) => list.map((i) => (i.key === key ? fn(i) : i)));

  const announce = (text: string) => setAnnouncements((list) => [...list.slice(-4), { key: nextKey(), text }]);

  const outcomeText = (name: string, result: UploadResult) =>
    result.ok
      ? result.duplicate
        ? t("announceDuplicate", { name })
        : t("announceUploaded", { name })
      : t("announceFailed", { name, reason: errorText(result.reason, result.retryAfterSeconds) });

  const start = (key: string, file: File) => {
    // Refused here without sending 25 MB for nothing; the server checks again anyway.
    const run: Promise<UploadResult> =
      file.size > maxFileBytes
        ? Promise.resolve({ ok: false, reason: "fileTooLarge", retryAfterSeconds: null })
        : uploadFile(tenantSlug, file, { onProgress: (fraction) => patch(key, (i) => ({ ...i, progress: fraction })) });
    void run.then((result) => {
      if (!mounted.current) return;
      patch(key, (i) => ({
        ...i,
        progress: result.ok ? 1 : i.progress,
        state: result.ok
          ? { phase: "done", duplicate: result.duplicate, documentId: result.document.id }
          : { phase: "error", reason: result.reason, retryAfterSeconds: result.retryAfterSeconds },
      }));
      announce(outcomeText(file.name, result));
      if (result.ok) {
        void queryClient.invalidateQueries({ queryKey: trpc.knowledge.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.knowledge.usage.pathKey() });
      }
    });
  };

  const addFiles = (files: FileList | File[] | null) => {
    const list = files ? Array.from(files) : [];
    if (list.length === 0) return;
    const added = list.map((file) => ({ key: nextKey(), file, progress: 0, state: { phase: "uploading" } as const }));
    setItems((current) => [...added.slice().reverse(), ...current]);
    announce(t("announceStarted", { count: added.length }));
    for (const item of added) start(item.key, item.file);
  };

  const retry = (key: string) => {
    const item = items.find((i) => i.key === key);
    if (!item) return;
    patch(key, (i) => ({ ...i, progress: 0, state: { phase: "uploading" } }));
    start(key, item.file);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  };

  return (
    <section aria-labelledby="knowledge-upload-title" className="flex flex-col gap-4">
      <h2 id="knowledge-upload-title" className="text-xl font-semibold">
        {t("title")}
      </h2>
      <div
        data-testid="drop-zone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
        className={cn(
          "flex flex-col items-center gap-3 rounded-lg border-2 border-dashed px-6 py-8 text-center transition-colors",
          dragging ? "border-accent bg-accent-soft" : "border-border-strong bg-surface",
        )}
      >
        <FileUp aria-hidden="true" className="size-8 text-muted-fg" />
        <p className="font-medium">{t("dropHint")}</p>
        <input
          ref={inputRef}
          id="knowledge-file-input"
          type="file"
          multiple
          accept={ACCEPT}
          className="sr-only"
          tabIndex={-1}
          aria-label={t("inputLabel")}
          onChange={(e) => {
            addFiles(e.currentTarget.files);
            // The same file can be picked again (e.g. after fixing it).
            e.currentTarget.value = "";
          }}
        />
        <Button type="button" onClick={() => inputRef.current?.click()} aria-describedby="knowledge-upload-formats">
          <Upload aria-hidden="true" />
          {t("choose")}
        </Button>
        <p id="knowledge-upload-formats" className="text-sm text-muted-fg">
          {t("formats", { limit: formatBytes(maxFileBytes) })}
        </p>
      </div>

      {items.length > 0 ? (
        <ul aria-label={t("listLabel")} className="flex flex-col gap-2" data-testid="upload-list">
          {items.map((item) => (
            <UploadRow key={item.key} item={item} errorText={errorText} onRetry={() => retry(item.key)} onDismiss={() => setItems((list) => list.filter((i) => i.key !== item.key))} />
          ))}
        </ul>
      ) : null}

      <div aria-live="polite" role="status" className="sr-only" data-testid="upload-announcements">
        {announcements.map((a) => (
          <p key={a.key}>{a.text}</p>
        ))}
      </div>
    </section>
  );
};

const UploadRow = ({
  item,
  errorText,
  onRetry,
  onDismiss,
}: {
  item: Item;
  errorText: (reason: string, retryAfterSeconds: number | null) => string;
  onRetry: () => void;
  onDismiss: () => void;
}) => {
  const t = useTranslations("knowledge.upload");
  const formatBytes = useFormatBytes();
  const { file, state } = item;
  const percent = Math.round(item.progress * 100);
  const progressId = `${item.key}-progress`;
  return (
    <li className="flex flex-col gap-2 rounded-md border border-border bg-bg px-4 py-3" data-testid="upload-item" data-phase={state.phase} data-filename={file.name}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="break-all font-medium">{file.name}</span>
        <span className="text-sm text-muted-fg tabular-nums">{formatBytes(file.size)}</span>
        {state.phase !== "uploading" ? (
          <Button variant="ghost" size="sm" className="ml-auto" aria-label={t("dismissLabel", { name: file.name })} onClick={onDismiss}>
            <X aria-hidden="true" />
          </Button>
        ) : null}
      </div>
      {state.phase === "uploading" ? (
        <div className="flex items-center gap-3">
          <progress id={progressId} value={percent} max={100} aria-label={t("progressLabel", { name: file.name })} className="h-2 w-full accent-accent" />
          <span className="w-12 text-right text-sm tabular-nums" aria-hidden="true">
            {t("percent", { percent })}
          </span>
        </div>
      ) : null}
      {state.phase === "done" ? (
        <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="upload-result">
          {state.duplicate ? (
            <>
              <Copy aria-hidden="true" className="size-4 text-muted-fg" />
              <span>{t("duplicate")}</span>
              <a href={`#document-${state.documentId}`} className="text-accent underline hover:text-accent-hover">
                {t("viewExisting", { name: file.name })}
              </a>
            </>
          ) : (
            <>
              <CheckCircle2 aria-hidden="true" className="size-4 text-success" />
              <span>{t("uploaded")}</span>
            </>
          )}
        </p>
      ) : null}
      {state.phase === "error" ? (
        <div className="flex flex-wrap items-start gap-3">
          <p className="flex flex-1 items-start gap-2 text-sm text-danger" data-testid="upload-error" data-reason={state.reason}>
            <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            <span>{errorText(state.reason, state.retryAfterSeconds)}</span>
          </p>
          <Button variant="secondary" size="sm" onClick={onRetry} aria-label={t("retryLabel", { name: file.name })}>
            <RotateCcw aria-hidden="true" />
            {t("retry")}
          </Button>
        </div>
      ) : null}
    </li>
  );
};
