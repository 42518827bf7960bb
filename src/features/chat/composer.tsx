"use client";

import { Send, Square } from "lucide-react";
import { useTranslations } from "next-intl";
import type { KeyboardEvent, RefObject } from "react";
import { Button } from "~/components/ui/button";
import { cn } from "~/lib/cn";

export const MAX_MESSAGE_CHARS = 20_000;

type Props = {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  onStop: () => void;
  personaName: string;
  phase: "idle" | "sending" | "streaming";
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  describedBy?: string;
};

/**
 * The message box. Enter sends, Shift+Enter is a new line, Esc stops an answer.
 * The textarea is never disabled (a disabled field drops focus and the user
 * may draft the next question while an answer streams); sending is what waits.
 */
export const Composer = ({ value, onChange, onSend, onStop, personaName, phase, textareaRef, describedBy }: Props) => {
  const t = useTranslations("chat");
  const busy = phase !== "idle";
  const canSend = !busy && value.trim().length > 0;

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (canSend) onSend();
    } else if (e.key === "Escape" && busy) {
      e.preventDefault();
      onStop();
    }
  };

  return (
    <form
      className="flex flex-col gap-2 border-t border-border pt-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSend) onSend();
        textareaRef.current?.focus();
      }}
    >
      <label htmlFor="chat-composer" className="text-sm font-medium">
        {t("composerLabel", { name: personaName })}
      </label>
      <div className="flex items-end gap-2">
        <textarea
          id="chat-composer"
          ref={textareaRef}
          name="content"
          rows={3}
          value={value}
          maxLength={MAX_MESSAGE_CHARS}
          onChange={(e) => onChange(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          aria-describedby={cn("chat-composer-hint", describedBy)}
          className="block min-h-20 w-full resize-y rounded-md border border-border-strong bg-bg px-3 py-2 text-sm text-fg placeholder:text-muted-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring"
        />
        <div className="flex flex-col gap-2">
          {busy ? (
            <Button type="button" variant="danger" onClick={onStop}>
              <Square aria-hidden="true" />
              {t("stop")}
            </Button>
          ) : null}
          <Button type="submit" disabled={!canSend}>
            <Send aria-hidden="true" />
            {phase === "sending" ? t("sending") : t("send")}
          </Button>
        </div>
      </div>
      <p id="chat-composer-hint" className="text-xs text-muted-fg">
        {phase === "streaming" ? t("composerStreamingHint") : t("composerHint")}
      </p>
    </form>
  );
};
