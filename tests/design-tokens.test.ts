import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The colour tokens of src/app/globals.css, both themes, checked the way a
// reviewer would with a contrast checker: every text/background pair the
// components use meets WCAG AA (4.5:1), every boundary a user has to see (focus
// ring, input border, progress fill, chart series) 3:1 against what is next to
// it (WCAG 1.4.11), and the dark theme overrides every colour the light one
// declares. A palette edit that breaks one of these fails here, not in a
// screenshot months later. docs/design-tokens.md lists the same pairs.

const root = path.resolve(import.meta.dirname, "..");
const css = readFileSync(path.join(root, "src/app/globals.css"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");

/** The body of the first `{ … }` block after `opener` (braces balanced), in `source`. */
const blockAfter = (source: string, opener: string): string => {
  const at = source.indexOf(opener);
  if (at < 0) throw new Error(`globals.css has no ${opener}`);
  const start = source.indexOf("{", at + opener.length - 1);
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    if (source[i] === "{") depth++;
    if (source[i] === "}" && --depth === 0) return source.slice(start + 1, i);
  }
  throw new Error(`unbalanced braces after ${opener}`);
};

/** `--name: value;` and `color-scheme: value;` declarations of a block (nested blocks excluded). */
const declarations = (body: string): Map<string, string> => {
  let flat = body;
  while (/\{[^{}]*\}/.test(flat)) flat = flat.replace(/[^;{}]*\{[^{}]*\}/g, "");
  const decls = new Map<string, string>();
  for (const m of flat.matchAll(/(--[\w-]+|color-scheme)\s*:\s*([^;]+);/g)) decls.set(m[1]!, m[2]!.trim());
  return decls;
};

const colourTokens = (decls: Map<string, string>) => new Map([...decls].filter(([k]) => k.startsWith("--color-")));

const light = colourTokens(declarations(blockAfter(css, "@theme {")));
const base = blockAfter(css, "@layer base {");
const darkChosen = declarations(blockAfter(base, ':root[data-theme="dark"] {'));
const darkSystem = declarations(blockAfter(blockAfter(base, "@media (prefers-color-scheme: dark) {"), ':root:not([data-theme="light"]) {'));
const dark = colourTokens(darkChosen);
const themes = { light, dark };

// WCAG 2.2 relative luminance and contrast ratio (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance).
const hexToRgb = (hex: string): [number, number, number] => {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`${hex} is not an opaque #rgb/#rrggbb colour: a contrast pair needs one`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join("") : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
};
const luminance = (hex: string) => {
  const [r, g, b] = hexToRgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

const TEXT = 4.5;
const UI = 3;
type Pair = { fg: string; bg: string; min: number; where: string };
const text = (fg: string, bgs: string[], where: string): Pair[] => bgs.map((bg) => ({ fg, bg, min: TEXT, where }));
const ui = (fg: string, bgs: string[], where: string): Pair[] => bgs.map((bg) => ({ fg, bg, min: UI, where }));

/**
 * Every pair the components draw (grep for the role's class to see where).
 * `where` is what a failure message tells the person who broke it.
 */
const PAIRS: Pair[] = [
  ...text("fg", ["bg", "surface", "accent-soft", "warning-soft", "danger-soft", "success-soft"], "body text; the palette's <mark> on warning-soft; tinted rows and panels"),
  ...text("muted-fg", ["bg", "surface", "accent-soft"], "hints, descriptions, table secondary text, placeholders"),
  ...text("accent", ["bg", "surface", "accent-soft"], "links, link buttons, highlighted menu items, accent badges"),
  ...text("accent-hover", ["bg", "surface", "accent-soft"], "links on hover"),
  ...text("accent-fg", ["accent", "accent-hover"], "primary buttons"),
  ...text("danger", ["bg", "surface", "danger-soft"], "errors, danger alerts and badges"),
  ...text("danger-fg", ["danger", "danger-hover"], "danger buttons"),
  ...text("success", ["bg", "surface", "success-soft"], "success alerts, badges and toasts"),
  ...text("warning", ["bg", "surface", "warning-soft"], "warning alerts, notices and badges"),
  ...ui("ring", ["bg", "surface"], "the focus outline (offset from the control, so it sits on the page)"),
  ...ui("border-strong", ["bg", "surface"], "input, select and textarea borders"),
  ...ui("accent", ["bg", "surface"], "progress fills, the theme choice's checked border, the usage chart's bars"),
  ...ui("warning", ["bg", "surface"], "progress fill near a limit"),
  ...ui("danger", ["bg", "surface"], "progress fill at a limit, invalid input border, chart threshold line"),
  ...ui("chart-1", ["bg"], "chart series 1"),
  ...ui("chart-2", ["bg"], "chart series 2"),
  ...ui("chart-3", ["bg"], "chart series 3"),
  ...ui("chart-4", ["bg"], "chart series 4"),
  ...ui("chart-5", ["bg"], "chart series 5"),
  ...ui("chart-6", ["bg"], "chart series 6"),
  ...ui("chart-7", ["bg"], "chart series 7"),
];

describe("contrast formula", () => {
  // Reference values from the WCAG definition and WebAIM's checker, so the check below checks something.
  it("gives 21:1 for black on white, 1:1 for a colour on itself, and 4.48:1 for #777 on white", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#3730a3", "#3730a3")).toBeCloseTo(1, 5);
    expect(contrast("#777", "#fff")).toBeCloseTo(4.48, 2);
  });
});

describe("design tokens in src/app/globals.css", () => {
  it("declares the roles the components use", () => {
    for (const name of ["bg", "surface", "fg", "muted-fg", "border", "border-strong", "accent", "ring", "overlay", "danger-fg", "chart-1"]) {
      expect(light.has(`--color-${name}`), name).toBe(true);
    }
  });

  it("the dark theme overrides every colour token the light theme declares, and invents none", () => {
    expect([...dark.keys()].sort()).toEqual([...light.keys()].sort());
  });

  it("applies the same dark values when chosen (data-theme=dark) and when the system prefers dark", () => {
    expect(Object.fromEntries(darkSystem)).toEqual(Object.fromEntries(darkChosen));
  });

  it("tells the browser which scheme is in use (native controls, scrollbars)", () => {
    expect(declarations(blockAfter(base, ":root {")).get("color-scheme")).toBe("light");
    expect(darkChosen.get("color-scheme")).toBe("dark");
  });

  it.each(Object.entries(themes))("every declared pair meets WCAG AA in the %s theme", (_name, palette) => {
    const value = (role: string) => {
      const v = palette.get(`--color-${role}`);
      if (!v) throw new Error(`--color-${role} is not declared`);
      return v;
    };
    const failures = PAIRS.map((p) => ({ ...p, ratio: contrast(value(p.fg), value(p.bg)) }))
      .filter((p) => p.ratio < p.min)
      .map((p) => `${p.fg} on ${p.bg}: ${p.ratio.toFixed(2)}:1, needs ${p.min}:1 (${p.where})`);
    expect(failures).toEqual([]);
  });
});

describe("components use roles, not palette colours", () => {
  // A palette colour (bg-white, text-gray-500, fill="#b91c1c") has one value for
  // both themes; in the dark theme it is a white box or unreadable text.
  const PALETTE_CLASS =
    /\b(?:bg|text|border|ring|fill|stroke|from|to|via|outline|divide|decoration|placeholder|caret|accent)-(?:white|black|gray|slate|zinc|neutral|stone|red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose)(?:-\d+)?\b/;
  const LITERAL_COLOUR = /#[0-9a-f]{3}(?:[0-9a-f]{3})?\b|\brgba?\(|\bhsla?\(|\boklch\(/i;
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const sources = files(path.join(root, "src")).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));

  it("no component or page uses a Tailwind palette colour or a literal colour", () => {
    // manifest.ts: the installed app's brand colours, one manifest for both themes.
    // services/**: server code (e-mail HTML, extracted documents), never themed by the app's CSS.
    const exempt = (f: string) => f.endsWith(path.join("app", "manifest.ts")) || f.includes(`${path.sep}server${path.sep}`);
    const offenders = sources
      .filter((f) => !exempt(f))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .map((line, i) => ({ line, at: `${path.relative(root, f)}:${i + 1}` }))
          .filter(({ line }) => PALETTE_CLASS.test(line) || (f.endsWith(".tsx") && LITERAL_COLOUR.test(line)))
          .map(({ line, at }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
