import { Parser } from "htmlparser2";
import type { ExtractedDocument, ExtractLimits } from "./types";
import { DocumentBuilder, collapseSpaces, decodeUtf8, normalizeNewlines } from "./text";

// HTML is reduced to text with a real (streaming, spec-tolerant) parser, never
// with regexes. Only text nodes are kept: every attribute (on*="…", href =
// "javascript:…", style, src…) is dropped by construction, and the elements
// below are dropped with everything inside them. Headings become block
// headings, <title> the document title; entities are decoded by the parser.

const DROPPED = new Set([
  "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
  "svg", "math", "canvas", "audio", "video", "picture", "map", "select", "datalist", "textarea", "button",
]);

// Elements that end the current paragraph when they open or close.
const BLOCK = new Set([
  "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "address", "blockquote", "pre",
  "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "caption",
  "hr", "form", "fieldset", "legend", "details", "summary", "body", "html",
]);

const HEADING = /^h[1-6]$/;

/**
 * Defence in depth for consumers that might ever render this text as HTML:
 * literal text such as "&lt;script&gt;" decodes to "<script>"; we turn the
 * bracket into a look-alike so no tag-like script/iframe/… survives anywhere.
 */
export const neutralizeTags = (s: string) => s.replace(/<(?=\s*\/?\s*(?:script|iframe|object|embed|style|svg|frame|applet|meta|link|base)\b)/gi, "\u2039");

/** UTF-8 when valid; otherwise the charset the page declares (if the runtime knows it), else windows-1252. */
function decodeHtml(bytes: Uint8Array): string {
  const utf8 = decodeUtf8(bytes);
  if (utf8 !== null) return utf8;
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096));
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1];
  for (const label of [declared, "windows-1252"]) {
    if (!label) continue;
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // unknown label: try the next one
    }
  }
  return new TextDecoder("latin1").decode(bytes);
}

export function extractHtml(bytes: Uint8Array, limits: ExtractLimits): ExtractedDocument {
  const doc = new DocumentBuilder(limits);
  let dropDepth = 0;
  let preDepth = 0;
  let inTitle = false;
  let titleSeen = false;
  let title = "";
  let headingTag: string | null = null;
  let currentHeading: string | null = null;
  let firstH1: string | null = null;
  let buf = "";

  const flush = () => {
    const text = preDepth > 0 ? normalizeNewlines(buf) : buf.split("\n").map(collapseSpaces).filter(Boolean).join("\n");
    buf = "";
    if (!text.trim()) return;
    if (headingTag) {
      currentHeading = collapseSpaces(text);
      if (headingTag === "h1" && !firstH1) firstH1 = currentHeading;
      doc.add(neutralizeTags(currentHeading), null, neutralizeTags(currentHeading));
    } else {
      doc.add(neutralizeTags(text), null, currentHeading ? neutralizeTags(currentHeading) : null);
    }
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (DROPPED.has(name)) {
          dropDepth++;
          return;
        }
        if (dropDepth) return;
        // <head> is not dropped wholesale: without a <body> tag the parser
        // leaves the page's content inside it. Its script/style are dropped above.
        if (name === "title") {
          inTitle = !titleSeen;
          titleSeen = true;
          return;
        }
        if (HEADING.test(name)) {
          flush();
          headingTag = name;
        } else if (BLOCK.has(name)) {
          flush();
          if (name === "pre") preDepth++;
        } else if (name === "br") {
          buf += "\n";
        } else if (name === "td" || name === "th") {
          if (buf.trim()) buf += " | ";
        }
      },
      ontext(text) {
        if (inTitle) title += text;
        else if (!dropDepth) buf += preDepth > 0 ? text : text.replace(/\s+/g, " ");
      },
      onclosetag(name) {
        if (DROPPED.has(name)) {
          dropDepth = Math.max(0, dropDepth - 1);
          return;
        }
        if (name === "title") {
          inTitle = false;
          return;
        }
        if (dropDepth) return;
        if (HEADING.test(name) && headingTag) {
          flush();
          headingTag = null;
        } else if (BLOCK.has(name)) {
          flush();
          if (name === "pre") preDepth = Math.max(0, preDepth - 1);
        }
      },
      // Comments, CDATA and processing instructions carry no visible text: no handlers.
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(decodeHtml(bytes));
  parser.end();
  flush();
  doc.title = collapseSpaces(title) || firstH1;
  if (doc.title) doc.title = neutralizeTags(doc.title);
  return doc.build(null);
}
