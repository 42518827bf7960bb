"use client";

import { useTranslations } from "next-intl";
import { memo } from "react";
import Markdown, { type Components, type UrlTransform } from "react-markdown";
import remarkGfm from "remark-gfm";
import type { Citation } from "~/lib/chat-message";
import { CITATION_ATTRIBUTE, remarkCitations } from "./citation-markers";
import { CitationMarker, CitationsProvider } from "./citations";
import { safeUrl } from "./safe-url";

// Model output is untrusted text. It is rendered as Markdown with these rules:
//  - no raw HTML: without rehype-raw, react-markdown turns HTML in the text
//    into literal text (escaped by React; skipHtml stays false so nothing the
//    model wrote disappears), so `<script>` or `onerror=` can never run;
//  - links only to http(s) and mailto, opened in a new tab without referrer or
//    opener; anything else (javascript:, data:, relative) becomes plain text;
//  - no images: an image would load a URL of the model's choosing (a tracking
//    pixel); its alt text is shown instead, linked when the URL is safe;
//  - citation markers ("[1]", "[1, 2]") are found in text nodes by a remark
//    plugin (never in code or links) and become source buttons when the answer
//    has that citation, else stay plain text. Markdown cannot produce a button
//    by itself, so every button here came from the plugin.

const urlTransform: UrlTransform = (url) => safeUrl(url) ?? "";

const remarkPlugins = [remarkGfm, remarkCitations];

const ImageAsText = ({ src, alt }: { src?: unknown; alt?: string }) => {
  const t = useTranslations("chat");
  const label = t("image", { alt: alt?.trim() || "—" });
  const href = typeof src === "string" && src ? safeUrl(src) : null;
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-accent underline">
      {label}
    </a>
  ) : (
    <span className="italic text-muted-fg">{label}</span>
  );
};

const components: Components = {
  button: (props) => {
    const n = Number((props as Record<string, unknown>)[CITATION_ATTRIBUTE]);
    return Number.isInteger(n) && n > 0 ? <CitationMarker n={n} /> : <span>{props.children}</span>;
  },
  a: ({ href, children }) => {
    const safe = href ? safeUrl(href) : null;
    if (!safe) return <span>{children}</span>;
    return (
      <a href={safe} target="_blank" rel="noopener noreferrer nofollow" className="break-words text-accent underline hover:text-accent-hover">
        {children}
      </a>
    );
  },
  img: ({ src, alt }) => <ImageAsText src={src} alt={alt} />,
  pre: ({ children }) => <pre className="my-3 overflow-x-auto rounded-md border border-border bg-surface p-3 text-sm leading-relaxed">{children}</pre>,
  code: ({ className, children }) => <code className={className ? `${className} font-mono` : "rounded bg-surface px-1 py-0.5 font-mono text-[0.9em]"}>{children}</code>,
  table: ({ children }) => (
    <div className="my-3 overflow-x-auto">
      <table className="w-full border-collapse text-sm">{children}</table>
    </div>
  ),
  th: ({ children, style }) => (
    <th style={style} className="border border-border bg-surface px-2 py-1 text-left font-semibold">
      {children}
    </th>
  ),
  td: ({ children, style }) => (
    <td style={style} className="border border-border px-2 py-1 align-top">
      {children}
    </td>
  ),
  // Headings from the model must not break the page's outline (h1 is the conversation's title).
  h1: ({ children }) => <p className="mt-4 mb-2 text-lg font-semibold">{children}</p>,
  h2: ({ children }) => <p className="mt-4 mb-2 text-base font-semibold">{children}</p>,
  h3: ({ children }) => <p className="mt-3 mb-1 font-semibold">{children}</p>,
  h4: ({ children }) => <p className="mt-3 mb-1 font-semibold">{children}</p>,
  h5: ({ children }) => <p className="mt-3 mb-1 font-semibold">{children}</p>,
  h6: ({ children }) => <p className="mt-3 mb-1 font-semibold">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc space-y-1 pl-6">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal space-y-1 pl-6">{children}</ol>,
  p: ({ children }) => <p className="my-2 first:mt-0 last:mb-0">{children}</p>,
  blockquote: ({ children }) => <blockquote className="my-2 border-l-4 border-border pl-3 text-muted-fg">{children}</blockquote>,
  hr: () => <hr className="my-4 border-border" />,
};

/** Untrusted Markdown (model output) rendered safely; see the rules above. */
export const SafeMarkdown = memo(function SafeMarkdown({ text, citations }: { text: string; citations?: readonly Citation[] }) {
  return (
    <div className="break-words leading-relaxed">
      <CitationsProvider citations={citations ?? NO_CITATIONS}>
        <Markdown remarkPlugins={remarkPlugins} components={components} urlTransform={urlTransform} skipHtml={false}>
          {text}
        </Markdown>
      </CitationsProvider>
    </div>
  );
});

const NO_CITATIONS: readonly Citation[] = [];
