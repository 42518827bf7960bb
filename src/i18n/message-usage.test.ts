import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import en from "./messages/en.json";
import es from "./messages/es.json";
import { flattenMessages } from "../../tests/support/flatten-messages";

/*
 * Which message keys the code uses, by static analysis of src (tests excluded:
 * a key only a test reads is unused in the product). Deliberately simple:
 *  - a translator is a variable bound to useTranslations/getTranslations/
 *    createTranslator, with its namespace (first string argument or
 *    `namespace: "…"`, none = the root; emailTranslator is one too, over the
 *    root); a file whose translator arrives as a
 *    parameter names its namespace in a type argument (getTranslations<"home">);
 *  - t("key") / t.rich|markup|raw|has("key") uses <namespace>.key;
 *  - t(`prefix.${x}`) uses every key under <namespace>.prefix;
 *  - t(a ? "x" : "y") uses x and y; t(TABLE[k]) uses the file's literals that
 *    are keys of the namespace; t(anyOtherExpression) (a reason from the
 *    server, a cast union) uses the translator's whole namespace;
 *  - a string literal anywhere that is a full key ("emails.magicLink.subject")
 *    uses it (keys kept in a table and translated elsewhere).
 * Typed messages (src/i18n/types.d.ts) already fail tsc on an unknown key in
 * en; this covers es and keys nobody reads any more.
 */


const SRC = join(import.meta.dirname, "..");
const sourceFiles = () =>
  readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$|\.d\.ts$/.test(f) && !f.includes("db/generated"))
    .map((f) => ({ file: relative(SRC, join(SRC, f)), text: readFileSync(join(SRC, f), "utf8") }));

// A namespace given as a variable (useTranslations(namespace)) binds nothing: its callers' literals are not keys we can see.
const BINDING = /(?:const|let)\s+(\w+)\s*=\s*(?:await\s+)?(?:useTranslations|getTranslations|createTranslator|emailTranslator)\s*\(\s*(?:"([\w.]+)"|(\{[^}]*\})|(?=\)))/g;
const namespaceOf = (m: RegExpMatchArray) => m[2] ?? /namespace:\s*"([\w.]+)"/.exec(m[3] ?? "")?.[1] ?? "";
const TYPE_ARG = /(?:useTranslations|getTranslations)<"([\w.]+)">/g;
const CALL = /\b(\w+)(?:\.(rich|markup|raw|has))?\(\s*(?:"([^"]*)"|`([^`]*)`|(?=[^\s)"'`]))/g;
const FULL_LITERAL = /["'`]([\w-]+(?:\.[\w-]+)+)["'`]/g;

// `const [t, th, format] = await Promise.all([getTranslations("tenant"), getTranslations("home"), getFormatter()])`
const PROMISE_ALL = /const\s*\[([^\]]*)\]\s*=\s*await\s+Promise\.all\(\s*\[/g;
const TRANSLATOR_CALL = /^\s*()(?:useTranslations|getTranslations|createTranslator)\s*\(\s*(?:"([\w.]+)"|(\{[^}]*\})|(?=\)))/;
const destructuredBindings = (text: string) =>
  [...text.matchAll(PROMISE_ALL)].flatMap((m) => {
    const names = m[1]!.split(",").map((n) => n.trim());
    const items: string[] = [];
    for (let at = m.index + m[0].length; items.length < names.length; ) {
      const item = firstArgument(text, at);
      items.push(item);
      at += item.length + 1;
      if (text[at - 1] !== ",") break;
    }
    return names.flatMap((name, i) => {
      const call = TRANSLATOR_CALL.exec(items[i] ?? "");
      return call && /^\w+$/.test(name) ? [{ name, ns: namespaceOf(call), at: m.index }] : [];
    });
  });

type Usage = { used: Set<string>; prefixes: Set<string>; referenced: { key: string; file: string }[] };

/** The source text of a call's first argument, from just after "(" to its "," or ")" at depth 0. */
const firstArgument = (text: string, from: number) => {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c) && depth-- === 0) return text.slice(from, i);
    else if (c === "," && depth === 0) return text.slice(from, i);
  }
  return text.slice(from);
};

const LITERAL = /"([\w.-]+)"/g;
const LITERAL_CHOICE = /^[^?]*\?\s*"[\w.]+"\s*:\s*(?:"[\w.]+"|[^?]*\?\s*"[\w.]+"\s*:\s*"[\w.]+")\s*$/s;

/**
 * A key that is not a literal: a choice between literals (`ok ? "a" : "b"`) uses
 * those; a table lookup (`t(KEY[status])`) uses the file's literals that are keys
 * of the namespace (the table's values); anything else (a reason from the
 * server, a cast) may be any key, so the whole namespace counts as used.
 */
const computedKey = (usage: Usage, c: { ns: string; file: string; text: string; arg: string; keys: Set<string> }) => {
  const full = (k: string) => (c.ns ? `${c.ns}.${k}` : k);
  if (LITERAL_CHOICE.test(c.arg)) {
    for (const [, k] of c.arg.matchAll(LITERAL)) {
      if (!c.keys.has(full(k!))) continue;
      usage.used.add(full(k!));
      usage.referenced.push({ key: full(k!), file: c.file });
    }
  } else if (/^\s*[A-Z_]+\[[^\]]+\]\s*$/.test(c.arg)) {
    for (const [, k] of c.text.matchAll(LITERAL)) if (c.keys.has(full(k!))) usage.used.add(full(k!));
  } else usage.prefixes.add(c.ns ? `${c.ns}.` : "");
};

const scan = (keys: Set<string>): Usage => {
  const usage: Usage = { used: new Set(), prefixes: new Set(), referenced: [] };
  const under = (ns: string, rest: string) => (ns ? `${ns}.${rest}` : rest);
  for (const { file, text } of sourceFiles()) {
    // Several components in one file may each bind `t`: a call uses the nearest binding above it.
    const bindings = [...text.matchAll(BINDING)].map((m) => ({ name: m[1]!, ns: namespaceOf(m), at: m.index })).concat(destructuredBindings(text));
    // A translator received as a parameter: `t`, in the namespace its type names.
    const typed = [...text.matchAll(TYPE_ARG)].map((m) => ({ name: "t", ns: m[1]!, at: -1 }));
    const nsOf = (name: string, at: number) =>
      [...typed, ...bindings].filter((b) => b.name === name && b.at < at).sort((a, b) => b.at - a.at)[0]?.ns;
    for (const m of text.matchAll(CALL)) {
      const ns = nsOf(m[1]!, m.index);
      if (ns === undefined) continue;
      const [, , method, literal, template] = m;
      if (literal !== undefined) {
        usage.used.add(under(ns, literal));
        if (method !== "has") usage.referenced.push({ key: under(ns, literal), file });
      } else if (template !== undefined) {
        const at = template.indexOf("${");
        if (at === -1) usage.used.add(under(ns, template));
        else usage.prefixes.add(under(ns, template.slice(0, at)));
      } else computedKey(usage, { ns, file, text, arg: firstArgument(text, m.index + m[0].length), keys });
    }
    for (const m of text.matchAll(FULL_LITERAL)) if (keys.has(m[1]!)) usage.used.add(m[1]!);
  }
  return usage;
};

// Values that are the same word in Spanish and English, proper nouns and unit
// symbols: an es value made only of these (and ICU arguments, digits and
// punctuation) may equal the English one. Anything else identical is untranslated.
const SAME_IN_SPANISH = new Set([
  "OC", "Suite", "OpenAI", "Anthropic", "Redis", "PDF", "Word", "Markdown", "CSV", "HTML", "English", "Español", "Ctrl", "K",
  "No", "Legal", "Plan", "Chat", "Persona", "Personas", "Tokens", "Error", "Manual",
  "ms", "s", "min", "h", "v",
]);
const withoutArguments = (s: string) => {
  let out = s;
  for (let prev = ""; prev !== out; ) [prev, out] = [out, out.replace(/\{[^{}]*\}/g, " ")];
  return out;
};

describe("message usage", () => {
  const enFlat = flattenMessages(en);
  const esFlat = flattenMessages(es);
  const keys = new Set(Object.keys(enFlat));
  const usage = scan(keys);

  it("every key the code names exists in en and es", () => {
    const missing = usage.referenced.filter(({ key }) => !(key in enFlat) || !(key in esFlat)).map(({ key, file }) => `${key} (${file})`);
    expect(missing, `keys used in code but missing from en.json or es.json:\n${missing.join("\n")}`).toEqual([]);
  });

  const unusedOf = (all: Set<string>, u: Usage) => [...all].filter((k) => !u.used.has(k) && ![...u.prefixes].some((p) => k.startsWith(p)));

  it("every key in en.json is used somewhere in src", () => {
    const unused = unusedOf(keys, usage);
    expect(unused, `keys in en.json that no code uses (delete them, or use them):\n${unused.join("\n")}`).toEqual([]);
  });

  it("the scan finds real usage (a sanity check on the analysis itself)", () => {
    expect(usage.used).toContain("common.productName");
    expect(usage.used).toContain("emails.magicLink.subject");
    expect(usage.prefixes).toContain("errors.");
    expect(usage.referenced.length).toBeGreaterThan(500);
    // A key nobody reads is reported, in a namespace the code does use.
    const withStray = new Set([...keys, "common.strayKeyNobodyReads", "invitations.strayKeyNobodyReads"]);
    expect(unusedOf(withStray, scan(withStray))).toEqual(["common.strayKeyNobodyReads", "invitations.strayKeyNobodyReads"]);
  });

  it("no Spanish value is the English one left untranslated", () => {
    const same = Object.entries(enFlat)
      .filter(([k, v]) => esFlat[k] === v)
      .filter(([, v]) => (withoutArguments(v).match(/\p{L}+/gu) ?? []).some((word) => !SAME_IN_SPANISH.has(word)))
      .map(([k, v]) => `${k}: ${v}`);
    expect(same, `es values identical to English:\n${same.join("\n")}`).toEqual([]);
  });
});
