"use client";

import { Check, Copy, RefreshCw, RotateCcw } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { SourcesList } from "~/components/markdown/citations";
import { SafeMarkdown } from "~/components/markdown/safe-markdown";
import { cn } from "~/lib/cn";
import type { ChatMessage } from "~/lib/chat-message";
import { useReasonMessage } from "./use-reason-message";

/** "Offline model" (always visibly labelled) or the model's name. */
export const ModelBadge = ({ offline, model }: { offline: boolean; model: string | null }) => {
  const t = useTranslations("chat");
  if (offline)
    return (
      <Badge variant="warning" title={t("offlineModelHint")} data-testid="offline-badge">
        {t("offlineModel")}
      </Badge>
    );
  if (!model) return null;
  return (
    <Badge variant="neutral" className="max-w-full break-all font-mono" data-testid="model-badge">
      {t("modelName", { model })}
    </Badge>
  );
};

/** "12 in · 34 out" (read as "Tokens: 12 in, 34 out"), optionally after a visible label. */
export const TokenCounts = ({ input, output, label, className }: { input: number; output: number; label?: string; className?: string }) => {
  const t = useTranslations("chat");
  const format = useFormatter();
  const values = { input: format.number(input), output: format.number(output) };
  return (
    <span className={cn("text-xs text-muted-fg tabular-nums", className)} title={t("tokensLabel", values)}>
      {label ? `${label} ` : null}
      <span aria-hidden="true">{t("tokens", values)}</span>
      <span className="sr-only">{t("tokensLabel", values)}</span>
    </span>
  );
};

const CopyButton = ({ text }: { text: string }) => {
  const t = useTranslations("chat");
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label={copied ? t("copied") : t("copyLabel")}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 2_000);
        });
      }}
    >
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      {copied ? t("copied") : t("copy")}
    </Button>
  );
};

type Props = {
  message: ChatMessage;
  personaName: string;
  /** Regenerate / Retry are offered on the last answer only, and not while a turn runs. */
  isLastAnswer: boolean;
  busy: boolean;
  onRegenerate: () => void;
  onRetry: (messageId: string) => void;
};

export const MessageItem = ({ message, personaName, isLastAnswer, busy, onRegenerate, onRetry }: Props) => {
  const t = useTranslations("chat");
  const reasonMessage = useReasonMessage();
  const isUser = message.role === "user";
  const streaming = message.status === "streaming";
  const headingId = `msg-${message.id}-from`;

  return (
    <li className={cn("flex", isUser ? "justify-end" : "justify-start")}>
      <article
        aria-labelledby={headingId}
        aria-busy={streaming || undefined}
        data-testid={isUser ? "user-message" : "assistant-message"}
        data-status={message.status}
        data-message-id={message.id}
        className={cn(
          "flex max-w-[min(100%,48rem)] flex-col gap-2 rounded-lg border px-4 py-3",
          isUser ? "border-transparent bg-accent-soft" : "w-full border-border bg-bg",
          message.status === "failed" && "border-danger/40",
        )}
      >
        <div className="flex flex-wrap items-center gap-2">
          <h2 id={headingId} className="text-sm font-semibold">
            {isUser ? t("you") : personaName}
          </h2>
          {!isUser ? <ModelBadge offline={message.offline} model={message.model} /> : null}
          {streaming ? <Badge variant="accent">{t("statusStreaming")}</Badge> : null}
          {message.status === "stopped" ? <Badge variant="neutral">{t("statusStopped")}</Badge> : null}
          {message.status === "failed" ? <Badge variant="danger">{t("statusFailed")}</Badge> : null}
        </div>

        {isUser ? (
          <p className="whitespace-pre-wrap break-words">{message.content}</p>
        ) : message.content ? (
          <SafeMarkdown text={message.content} citations={message.citations} />
        ) : streaming ? (
          <p className="text-muted-fg">
            <span className="inline-block animate-pulse" aria-hidden="true">
              ●●●
            </span>
          </p>
        ) : null}

        {message.status === "failed" ? (
          <p className="text-sm text-danger" data-testid="failure-reason">
            {t("failedNote", { reason: reasonMessage(message.errorReason) })}
          </p>
        ) : null}
        {message.status === "stopped" ? <p className="text-sm text-muted-fg">{t("stoppedNote")}</p> : null}
        {!isUser && message.citations.length > 0 ? <SourcesList text={message.content} citations={message.citations} /> : null}

        {!isUser && !streaming ? (
          <div className="flex flex-wrap items-center gap-2">
            {message.inputTokens !== null || message.outputTokens !== null ? (
              <TokenCounts input={message.inputTokens ?? 0} output={message.outputTokens ?? 0} className="mr-auto" />
            ) : (
              <span className="mr-auto" />
            )}
            {message.content ? <CopyButton text={message.content} /> : null}
            {isLastAnswer && (message.status === "failed" || message.status === "stopped") ? (
              <Button variant="secondary" size="sm" disabled={busy} onClick={() => onRetry(message.id)}>
                <RotateCcw aria-hidden="true" />
                {t("retry")}
              </Button>
            ) : null}
            {isLastAnswer && message.status === "complete" ? (
              <Button variant="secondary" size="sm" disabled={busy} onClick={onRegenerate}>
                <RefreshCw aria-hidden="true" />
                {t("regenerate")}
              </Button>
            ) : null}
          </div>
        ) : null}
      </article>
    </li>
  );
};
