"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import type { ChatMessage } from "~/lib/chat-message";
import { isLocale } from "~/lib/locales";
import { ChatRequestError, isAbortError, runChatTurn, StreamCutError } from "./stream";
import type { ConversationMeta, TurnRequest } from "./types";

export type Phase = "idle" | "sending" | "streaming";

/** What happened to the last turn, for the live region and the composer. */
export type TurnNotice =
  | { kind: "answered"; messageId: string; text: string }
  | { kind: "stopped"; messageId: string }
  | { kind: "failed"; messageId: string; reason: string }
  /** Refused before anything was saved (HTTP error or network): the composer keeps the text. */
  | { kind: "refused"; action: TurnRequest["action"]; reason: string; retryAfterSeconds: number | null };

type Options = {
  tenantSlug: string;
  locale: string;
  personaKey: string;
  personaName: string;
  initial: { conversation: ConversationMeta; messages: ChatMessage[] } | null;
  /** Called once when a new conversation has been created by the first send. */
  onConversationStarted?: (conversation: ConversationMeta) => void;
};

const SYNC_DELAY_MS = 1_000;
const SYNC_ATTEMPTS = 20;

/**
 * The state of one conversation and its turns: send / regenerate / retry over
 * the NDJSON route, stop (abort), and the bookkeeping that keeps the list in
 * step with what the server saved. Leaving the page does not stop an answer:
 * the stream is drained in the background and the server saves it.
 */
export function useChatTurns({ tenantSlug, locale, personaKey, personaName, initial, onConversationStarted }: Options) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [conversation, setConversation] = useState<ConversationMeta | null>(initial?.conversation ?? null);
  const [messages, setMessages] = useState<ChatMessage[]>(initial?.messages ?? []);
  const [phase, setPhase] = useState<Phase>("idle");
  const [notice, setNotice] = useState<TurnNotice | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const busyRef = useRef(false);
  const conversationRef = useRef(conversation);
  const mountedRef = useRef(true);
  const syncTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    conversationRef.current = conversation;
  }, [conversation]);
  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
      if (syncTimer.current) clearTimeout(syncTimer.current);
    };
  }, []);

  const invalidateList = useCallback(() => void queryClient.invalidateQueries({ queryKey: trpc.chat.list.pathKey() }), [queryClient, trpc]);

  /**
   * Re-reads the conversation from the server until no message is still
   * "streaming" there (after a stop, a cut stream, or when the page opened
   * while an answer was being written elsewhere), then adopts it.
   */
  const syncFromServer = useCallback(() => {
    const attemptSync = (attempt: number) => {
      const id = conversationRef.current?.id;
      if (!id || attempt >= SYNC_ATTEMPTS) return;
      if (syncTimer.current) clearTimeout(syncTimer.current);
      syncTimer.current = setTimeout(() => {
        void queryClient
          .fetchQuery({ ...trpc.chat.get.queryOptions({ tenantSlug, id }), staleTime: 0 })
          .then((data) => {
            if (!mountedRef.current || busyRef.current) return;
            if (data.messages.some((m) => m.status === "streaming")) return attemptSync(attempt + 1);
            setMessages(data.messages);
            setConversation((c) => (c ? { ...c, title: data.conversation.title, inputTokens: data.conversation.inputTokens, outputTokens: data.conversation.outputTokens } : c));
          })
          .catch(() => undefined);
      }, SYNC_DELAY_MS);
    };
    attemptSync(0);
  }, [queryClient, tenantSlug, trpc]);

  // Opened while an answer is still being written (another tab, or we navigated away and back).
  useEffect(() => {
    if (initial?.messages.some((m) => m.status === "streaming")) syncFromServer();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only for the data the page was opened with, not on every change
  }, []);

  const run = useCallback(
    async (request: TurnRequest, onSaved?: () => void): Promise<boolean> => {
      if (busyRef.current) return false;
      busyRef.current = true;
      const controller = new AbortController();
      abortRef.current = controller;
      setPhase("sending");
      setNotice(null);
      let assistantId: string | null = null;
      let started = false;
      const patchAssistant = (patch: (m: ChatMessage) => ChatMessage) =>
        setMessages((list) => list.map((m) => (m.id === assistantId ? patch(m) : m)));

      try {
        // The answer's language: a shipped locale only (the development pseudo-locale
        // en-XA is not one; the server then uses the stored preference).
        await runChatTurn(tenantSlug, { ...request, locale: isLocale(locale) ? locale : undefined }, {
          signal: controller.signal,
          onEvent: (event) => {
            switch (event.type) {
              case "start": {
                started = true;
                assistantId = event.assistantMessageId;
                const placeholder: ChatMessage = {
                  id: event.assistantMessageId,
                  role: "assistant",
                  content: "",
                  status: "streaming",
                  errorReason: null,
                  provider: event.provider,
                  model: event.model,
                  offline: event.offline,
                  inputTokens: null,
                  outputTokens: null,
                  timeToFirstTokenMs: null,
                  createdAt: new Date(),
                  citations: event.citations,
                };
                // The user's message is now saved: it (and, for regenerate/retry,
                // the answer being replaced) is swapped for the server's version.
                setMessages((list) => {
                  const at = list.findIndex((m) => m.id === event.userMessage.id);
                  return [...(at >= 0 ? list.slice(0, at) : list), event.userMessage, placeholder];
                });
                const isNew = !conversationRef.current;
                const meta: ConversationMeta = conversationRef.current ?? {
                  id: event.conversation.id,
                  title: event.conversation.title,
                  personaKey: event.conversation.personaKey,
                  personaName,
                  inputTokens: 0,
                  outputTokens: 0,
                };
                conversationRef.current = meta;
                setConversation(meta);
                setPhase("streaming");
                onSaved?.();
                // Only while on the page: it rewrites the address bar.
                if (isNew && mountedRef.current) onConversationStarted?.(meta);
                invalidateList();
                break;
              }
              case "delta":
                patchAssistant((m) => ({ ...m, content: m.content + event.text }));
                break;
              case "done":
                patchAssistant(() => event.message);
                setConversation((c) => (c ? { ...c, ...event.conversation } : c));
                setNotice({ kind: "answered", messageId: event.message.id, text: event.message.content });
                break;
              case "error":
                patchAssistant(() => event.message);
                setNotice(
                  event.message.status === "stopped"
                    ? { kind: "stopped", messageId: event.message.id }
                    : { kind: "failed", messageId: event.message.id, reason: event.reason },
                );
                break;
            }
          },
        });
      } catch (err) {
        if (!started) {
          // Nothing was saved (or we cannot know): the composer keeps the text.
          if (isAbortError(err)) setNotice(null);
          else if (err instanceof ChatRequestError) setNotice({ kind: "refused", action: request.action, reason: err.reason, retryAfterSeconds: err.retryAfterSeconds });
          else setNotice({ kind: "refused", action: request.action, reason: "network", retryAfterSeconds: null });
        } else if (assistantId) {
          const id = assistantId;
          if (isAbortError(err)) {
            // The server saves the partial answer as stopped; show it so at once.
            patchAssistant((m) => (m.status === "streaming" ? { ...m, status: "stopped" } : m));
            setNotice({ kind: "stopped", messageId: id });
          } else {
            const reason = err instanceof StreamCutError ? "streamInterrupted" : "network";
            patchAssistant((m) => (m.status === "streaming" ? { ...m, status: "failed", errorReason: reason } : m));
            setNotice({ kind: "failed", messageId: id, reason });
          }
          // Adopt what the server actually saved (final text, tokens, status).
          syncFromServer();
        }
      } finally {
        busyRef.current = false;
        if (abortRef.current === controller) abortRef.current = null;
        setPhase("idle");
        if (started) invalidateList();
      }
      return started;
    },
    [tenantSlug, locale, personaName, onConversationStarted, invalidateList, syncFromServer],
  );

  /** `onSaved` runs once the server has saved the message (the moment the composer may let go of it). */
  const send = useCallback(
    (content: string, onSaved?: () => void) =>
      run({ action: "send", personaKey, content, ...(conversationRef.current ? { conversationId: conversationRef.current.id } : {}) }, onSaved),
    [run, personaKey],
  );
  const regenerate = useCallback(() => (conversationRef.current ? run({ action: "regenerate", conversationId: conversationRef.current.id }) : Promise.resolve(false)), [run]);
  const retry = useCallback(
    (messageId: string) => (conversationRef.current ? run({ action: "retry", conversationId: conversationRef.current.id, messageId }) : Promise.resolve(false)),
    [run],
  );
  const stop = useCallback(() => abortRef.current?.abort(), []);
  const rename = useCallback((title: string) => setConversation((c) => (c ? { ...c, title } : c)), []);

  return { conversation, messages, phase, notice, send, regenerate, retry, stop, rename, clearNotice: () => setNotice(null) };
}
