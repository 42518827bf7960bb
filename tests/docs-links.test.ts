import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The README, the demo script and the marketing pages promise that every claim links to the test,
// document or figure behind it (issue 17). This keeps the promise checkable: every link and every
// repository path they name exists, every anchor is a heading of its page, every test they quote by
// name is still called that in the file they name, and the demo's screenshots are exactly the ones
// scripts/demo/run.ts takes and docs/demo-script.md shows.

const ROOT = path.resolve(import.meta.dirname, "..");
const MARKETING = path.join(ROOT, "docs/marketing");
const DOCS = ["README.md", "docs/demo-script.md", ...readdirSync(MARKETING).filter((f) => f.endsWith(".md")).map((f) => `docs/marketing/${f}`)];
const read = (rel: string) => readFileSync(path.join(ROOT, rel), "utf8");

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");
const anchors = (markdown: string) => new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));

/** Markdown links and images, outside fenced code: [text](target). */
const links = (markdown: string) => [...markdown.replace(/```[\s\S]*?```/g, "").matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

/** Inline code that names a file or folder of this repository, such as `e2e/tests/chat.spec.ts`. */
const TOP = ["docs", "ops", "src", "tests", "e2e", "scripts", "inngest", "packages", "prisma", "perf", ".github"];
const repoPaths = (markdown: string) =>
  [...markdown.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!.replace(/[.,;:]$/, ""))
    .filter((p) => TOP.some((top) => p.startsWith(`${top}/`)) && !/[<>*{}…]/.test(p));

describe.each(DOCS)("%s", (doc) => {
  const text = read(doc);
  const dir = path.dirname(doc);

  it("links only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const target of links(text)) {
      if (/^(https?|mailto):/.test(target)) continue;
      const [file, anchor] = target.split("#") as [string, string | undefined];
      const rel = file === "" ? doc : path.normalize(path.join(dir, file));
      if (!existsSync(path.join(ROOT, rel))) {
        broken.push(`${target} (no ${rel})`);
        continue;
      }
      if (anchor && rel.endsWith(".md") && !anchors(read(rel)).has(anchor)) broken.push(`${target} (no heading #${anchor} in ${rel})`);
    }
    expect(broken).toEqual([]);
  });

  it("names only repository paths that exist", () => {
    const missing = repoPaths(text).filter((p) => {
      const [file, anchor] = p.split("#") as [string, string | undefined];
      if (!existsSync(path.join(ROOT, file))) return true;
      return Boolean(anchor && file.endsWith(".md") && !anchors(read(file)).has(anchor));
    });
    expect(missing).toEqual([]);
  });

  it("quotes tests by the names they still have", () => {
    // `path/to/file.test.ts` (“test name”; “another …”): each quoted name, up to an ellipsis,
    // must appear in that file.
    const wrong: string[] = [];
    let checked = 0;
    for (const m of text.matchAll(/`([^`\s]+\.(?:test|spec)\.ts)`\s*\(([^)]*(?:\([^)]*\)[^)]*)*)\)/g)) {
      const file = m[1]!;
      if (!existsSync(path.join(ROOT, file))) continue; // reported by the test above
      const source = read(file).replace(/\s+/g, " ");
      for (const q of m[2]!.matchAll(/“([^”]+)”/g)) {
        const name = q[1]!.split("…")[0]!.replace(/\s+/g, " ").trim();
        checked += 1;
        if (name && !source.includes(name)) wrong.push(`${file}: “${name}”`);
      }
    }
    expect(wrong).toEqual([]);
    // The marketing pages quote their tests; a format change that made this check see none would pass silently.
    if (doc.startsWith("docs/marketing/") && /\.(test|spec)\.ts` \(“/.test(text)) expect(checked).toBeGreaterThan(0);
  });
});

describe("the demo's screenshots", () => {
  const taken = [...read("scripts/demo/run.ts").matchAll(/shot\(page, "([\w-]+)"\)/g)].map((m) => `${m[1]}.png`).sort();
  const committed = readdirSync(path.join(ROOT, "docs/demo")).sort();
  const shown = [...read("docs/demo-script.md").matchAll(/\]\(demo\/([\w-]+\.png)\)/g)].map((m) => m[1]!);

  it("are the ones scripts/demo/run.ts takes, each shown in docs/demo-script.md", () => {
    expect(taken.length).toBeGreaterThan(10);
    expect(committed).toEqual(taken);
    expect([...new Set(shown)].sort()).toEqual(taken);
  });
});
