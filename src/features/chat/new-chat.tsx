"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "~/components/ui/alert";
import { usePathname } from "~/i18n/navigation";
import type { PersonaOption } from "~/lib/persona-option";
import { ChatView } from "./chat-view";
import { PersonaPicker } from "./persona-picker";
import type { ConversationMeta } from "./types";

/**
 * The chat start page: pick an executive, ask. The first answer streams right
 * here; the address becomes the conversation's (history.replaceState, so a
 * reload or a shared link opens it) without a navigation that would cut the
 * stream. Going to "New chat" again starts over.
 */
export const NewChat = ({ tenantSlug, personas, initialPersona }: { tenantSlug: string; personas: PersonaOption[]; initialPersona?: string }) => {
  const t = useTranslations("chat");
  const locale = useLocale();
  const pathname = usePathname();
  const base = `/t/${tenantSlug}/chat`;
  const [personaKey, setPersonaKey] = useState(() => personas.find((p) => p.key === initialPersona)?.key ?? personas[0]?.key ?? "");
  const [session, setSession] = useState(0);
  const [started, setStarted] = useState(false);

  // Back on /chat after a conversation started here ("New chat", or deleting it): a fresh start.
  const [seenPath, setSeenPath] = useState(pathname);
  if (pathname !== seenPath) {
    setSeenPath(pathname);
    if (pathname === base && started) {
      setStarted(false);
      setSession((s) => s + 1);
    }
  }

  const persona = personas.find((p) => p.key === personaKey);
  if (!persona)
    return (
      <>
        <h1 className="mb-4 text-3xl font-bold tracking-tight">{t("title")}</h1>
        <Alert variant="info">{t("noPersonas")}</Alert>
      </>
    );

  const onStarted = (c: ConversationMeta) => {
    setStarted(true);
    window.history.replaceState(null, "", `/${locale}${base}/${encodeURIComponent(c.id)}`);
  };

  return (
    <ChatView
      key={session}
      tenantSlug={tenantSlug}
      persona={persona}
      initial={null}
      onConversationStarted={onStarted}
      intro={
        <div className="flex flex-col gap-6">
          <div className="flex flex-col gap-2">
            <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
            <p className="max-w-2xl text-muted-fg">{t("lead")}</p>
          </div>
          <PersonaPicker personas={personas} value={personaKey} onChange={setPersonaKey} />
        </div>
      }
    />
  );
};
