import { createTranslator } from "next-intl";
import { afterEach, describe, expect, it, vi } from "vitest";
import en from "./messages/en.json";
import { pseudoLocalise, pseudoLocaliseMessages } from "./pseudo";
import { flattenMessages } from "../../tests/support/flatten-messages";


/** Argument names with their ICU type ("" for a plain {name}), from the English source. */
const argumentsOf = (s: string) => new Map([...s.matchAll(/\{\s*(\w+)\s*(?:\}|,\s*(\w+))/g)].map((m) => [m[1]!, m[2] ?? ""]));
const sampleValue = (type: string): string | number | Date =>
  type === "plural" || type === "selectordinal" || type === "number" ? 3 : type === "date" || type === "time" ? new Date(0) : type === "select" ? "other" : "Zed";

describe("pseudo-locale (en-XA)", () => {
  const enFlat = flattenMessages(en);
  const pseudo = pseudoLocaliseMessages(en);
  const pseudoFlat = flattenMessages(pseudo);

  it("accents letters, pads ~35% and brackets, and keeps ICU syntax exactly", () => {
    expect(pseudoLocalise("Sign in")).toBe("[Šîĝñ îñ ~~~]");
    expect(pseudoLocalise("{count, plural, one {# file} other {# files}} left")).toBe("[{count, plural, one {# ƒîļé} other {# ƒîļéš}} ļéƒţ ~~]");
    expect(pseudoLocalise("Hello {name}, it is {when, date, short}")).toBe("[Ĥéļļö {name}, îţ îš {when, date, short} ~~~~~]");
    expect(pseudoLocalise("{role, select, OWNER {Owner} other {Someone}}")).toBe("[{role, select, OWNER {Öŵñéŕ} other {Šöɱéöñé}} ~]");
    expect(pseudoLocalise("It''s '{literal}' <b>bold</b>")).toBe("[Îţ''š '{literal}' <b>ƀöļđ</b> ~~~~~]");
    expect(pseudoLocalise("{n, plural, =0 {none} offset:1 one {# x} other {# y}}")).toBe("[{n, plural, =0 {ñöñé} offset:1 one {# ẋ} other {# ý}} ~]");
  });

  it("every English message keeps its keys and placeholders, and is visibly pseudo", () => {
    expect(Object.keys(pseudoFlat)).toEqual(Object.keys(enFlat));
    for (const [key, source] of Object.entries(enFlat)) {
      const out = pseudoFlat[key]!;
      expect(out, key).toMatch(/^\[.*~\]$/s);
      expect([...argumentsOf(out)], key).toEqual([...argumentsOf(source)]);
      // Text with letters comes out accented, so it is told apart from English that bypassed next-intl.
      if (/[a-zA-Z]/.test(source.replace(/\{[^{}]*\}/g, ""))) expect(out, key).toMatch(/[^\u0000-\u007f]/);
    }
  });

  it("every pseudo message formats with next-intl's createTranslator, values in place", () => {
    const errors: string[] = [];
    const t = createTranslator({ locale: "en-XA", messages: pseudo, onError: (e) => errors.push(e.message) });
    for (const [key, source] of Object.entries(enFlat)) {
      const args = argumentsOf(source);
      const values = Object.fromEntries([...args].map(([name, type]) => [name, sampleValue(type)]));
      // Rich-text tags (<terms>…</terms>) need a value each; t.markup formats them to a string.
      const tags = [...new Set([...source.matchAll(/<(\w+)>/g)].map((m) => m[1]!))];
      const markup = Object.fromEntries(tags.map((tag) => [tag, (chunks: string) => `<${tag}>${chunks}</${tag}>`]));
      const out = tags.length > 0 ? t.markup(key as never, { ...values, ...markup } as never) : t(key as never, values as never);
      for (const tag of tags) expect(out, `${key} <${tag}>`).toContain(`<${tag}>`);
      expect(out, key).not.toBe(key);
      for (const [name, type] of args) if (type === "") expect(out, `${key} {${name}}`).toContain("Zed");
    }
    expect(errors).toEqual([]);
  });
});

describe("pseudo-locale routing", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("is routable outside production only", async () => {
    vi.resetModules();
    const dev = await import("~/lib/locales");
    expect(dev.UI_LOCALES).toEqual(["en", "es", "en-XA"]);
    expect(new RegExp(`^/(${dev.localePathPattern})/`).test("/en-XA/workspaces")).toBe(true);

    vi.stubEnv("NODE_ENV", "production");
    vi.resetModules();
    const prod = await import("~/lib/locales");
    const { routing } = await import("./routing");
    expect(prod.UI_LOCALES).toEqual(["en", "es"]);
    expect(routing.locales).toEqual(["en", "es"]);
    expect(new RegExp(`^/(${prod.localePathPattern})/`).test("/en-XA/workspaces")).toBe(false);
    expect(prod.isUiLocale("en-XA")).toBe(false);
  });
});
