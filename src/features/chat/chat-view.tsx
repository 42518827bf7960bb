"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { Alert } from "~/components/ui/alert";
import type { ChatMessage } from "~/lib/chat-message";
import type { PersonaOption } from "~/lib/persona-option";
import { Composer } from "./composer";
import { DeleteConversationButton, RenameConversationButton } from "./conversation-actions";
import { MessageItem, ModelBadge, TokenCounts } from "./message-item";
import type { ConversationMeta } from "./types";
import { useChatTurns, type TurnNotice } from "./use-chat-turns";
import { useReasonMessage } from "./use-reason-message";

/** Markdown markers stripped for the screen-reader announcement, which reads plain words. */
const plain = (md: string) =>
  md
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*/g, ""))
    .replace(/[*_`#>|]+/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();

/** A number that changes with every new notice object (a fresh live-region node per announcement). */
const useNoticeKey = (notice: TurnNotice | null) => {
  const [state, setState] = useState<{ notice: TurnNotice | null; key: number }>({ notice, key: 0 });
  if (state.notice !== notice) {
    setState({ notice, key: state.key + 1 });
    return state.key + 1;
  }
  return state.key;
};

type Props = {
  tenantSlug: string;
  /** The persona this conversation talks to (its current name and model, when still enabled). */
  persona: Pick<PersonaOption, "key" | "name"> & Partial<Pick<PersonaOption, "offline" | "model">>;
  initial: { conversation: ConversationMeta; messages: ChatMessage[] } | null;
  onConversationStarted?: (conversation: ConversationMeta) => void;
  /** Shown above the messages of a conversation that has none yet (the new-chat persona picker). */
  intro?: ReactNode;
};

/**
 * One conversation: header (title, totals, rename, delete), the messages, the
 * composer and a polite live region that announces finished, stopped and
 * failed answers (not every token).
 */
export const ChatView = ({ tenantSlug, persona, initial, onConversationStarted, intro }: Props) => {
  const t = useTranslations("chat");
  const reasonMessage = useReasonMessage();
  const locale = useLocale();
  const turns = useChatTurns({ tenantSlug, locale, personaKey: persona.key, personaName: persona.name, initial, onConversationStarted });
  const { conversation, messages, phase, notice } = turns;
  const [draft, setDraft] = useState("");
  const textareaRef = useRef<HTMLTextAreaElement | null>(null);
  const endRef = useRef<HTMLDivElement | null>(null);
  const stickToBottom = useRef(true);
  const personaName = conversation?.personaName ?? persona.name;

  // Follow the answer while the reader is at the bottom; once they scroll up, leave them there.
  useEffect(() => {
    const onScroll = () => {
      const el = document.scrollingElement ?? document.documentElement;
      stickToBottom.current = el.scrollHeight - (el.scrollTop + window.innerHeight) < 160;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);
  // An existing conversation opens at its latest message, like any chat.
  const opened = useRef(false);
  useLayoutEffect(() => {
    if (opened.current) return;
    opened.current = true;
    if (initial && initial.messages.length > 0) endRef.current?.scrollIntoView({ block: "end" });
  }, [initial]);
  const lastContent = messages.at(-1)?.content;
  useLayoutEffect(() => {
    if (phase !== "idle" && stickToBottom.current) endRef.current?.scrollIntoView({ block: "end" });
  }, [lastContent, messages.length, phase]);

  // What the live region says when a turn ends (each notice is a new object, so a new node is announced).
  const announcement =
    notice?.kind === "answered"
      ? t("liveAnswered", { name: personaName, text: plain(notice.text) })
      : notice?.kind === "stopped"
        ? t("liveStopped")
        : notice?.kind === "failed"
          ? t("liveFailed", { reason: reasonMessage(notice.reason) })
          : "";
  const noticeKey = useNoticeKey(notice);

  const send = () => {
    const content = draft.trim();
    if (!content || phase !== "idle") return;
    textareaRef.current?.focus();
    // The text leaves the box only once the server has saved it (and not if the user already typed more).
    void turns.send(content, () => setDraft((d) => (d.trim() === content ? "" : d)));
  };

  // Esc anywhere in the conversation (not only in the box) stops an answer.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape" && phase !== "idle" && !e.defaultPrevented) {
      e.preventDefault();
      turns.stop();
    }
  };

  const lastAnswer = [...messages].reverse().find((m) => m.role === "assistant") ?? null;
  const lastIsAssistant = messages.at(-1)?.role === "assistant";
  const refused = notice?.kind === "refused" ? notice : null;

  return (
    <div className="flex min-w-0 flex-col gap-4" onKeyDown={onKeyDown}>
      {conversation ? (
        <header className="flex flex-col gap-3 border-b border-border pb-4">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <h1 className="min-w-0 break-words text-2xl font-bold tracking-tight" data-testid="conversation-title">
              {conversation.title}
            </h1>
            <div className="flex flex-wrap gap-2">
              <RenameConversationButton tenantSlug={tenantSlug} id={conversation.id} title={conversation.title} onRenamed={turns.rename} />
              <DeleteConversationButton tenantSlug={tenantSlug} id={conversation.id} title={conversation.title} />
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-2 text-sm text-muted-fg">
            <span>{personaName}</span>
            {lastAnswer ? <ModelBadge offline={lastAnswer.offline} model={lastAnswer.model} /> : persona.offline !== undefined ? <ModelBadge offline={persona.offline} model={persona.model ?? null} /> : null}
            <span data-testid="conversation-tokens">
              <TokenCounts input={conversation.inputTokens} output={conversation.outputTokens} label={t("conversationTotal")} className="text-sm" />
            </span>
          </div>
        </header>
      ) : (
        intro
      )}

      {messages.length > 0 ? (
        <ol aria-label={t("messagesLabel", { name: personaName })} className="flex flex-col gap-4">
          {messages.map((m) => (
            <MessageItem
              key={m.id}
              message={m}
              personaName={personaName}
              isLastAnswer={m.id === lastAnswer?.id && lastIsAssistant}
              busy={phase !== "idle"}
              // The button goes away with the answer it replaces: focus moves to the box instead of being lost.
              onRegenerate={() => {
                textareaRef.current?.focus();
                void turns.regenerate();
              }}
              onRetry={(id) => {
                textareaRef.current?.focus();
                void turns.retry(id);
              }}
            />
          ))}
        </ol>
      ) : conversation ? null : (
        <p className="text-muted-fg">{t("emptyConversation", { name: personaName })}</p>
      )}

      {refused ? (
        <Alert variant="danger" role="alert" id="chat-refused">
          {refused.action === "send"
            ? t("sendFailed", { reason: reasonMessage(refused.reason, refused.retryAfterSeconds) })
            : reasonMessage(refused.reason, refused.retryAfterSeconds)}
        </Alert>
      ) : null}

      <Composer
        value={draft}
        onChange={setDraft}
        onSend={send}
        onStop={turns.stop}
        personaName={personaName}
        phase={phase}
        textareaRef={textareaRef}
        describedBy={refused ? "chat-refused" : undefined}
      />
      {/* Scrolled into view while an answer streams: the latest text with the box (and Stop) below it. */}
      <div ref={endRef} />

      <div aria-live="polite" role="status" className="sr-only" data-testid="chat-live">
        {announcement ? <p key={noticeKey}>{announcement}</p> : null}
      </div>
    </div>
  );
};
