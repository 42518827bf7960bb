/*
 * docs/testing.md stays true: every end-to-end test tagged @critical (the suite `npm run
 * test:critical` runs) is quoted in its critical-flow table, so the map of flows to tests cannot
 * silently fall behind a new or renamed journey; and every repository path the page names exists.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const DOC = readFileSync(path.join(ROOT, "docs/testing.md"), "utf8");
const SPECS = path.join(ROOT, "e2e/tests");

/** Titles of the @critical tests and groups: `test("<title>", { tag: "@critical" }, …)`, `test.describe(…)` likewise (or a tag array). */
const criticalTests = () =>
  readdirSync(SPECS)
    .filter((f) => f.endsWith(".spec.ts"))
    .flatMap((file) =>
      [...readFileSync(path.join(SPECS, file), "utf8").matchAll(/\btest(?:\.describe)?\(\s*(["`])((?:(?!\1)[^\\]|\\.)*)\1\s*,\s*\{\s*tag:\s*\[?\s*"@critical"/g)].map((m) => ({ file, title: m[2]! })),
    );

/** What the table must quote: the title up to a template placeholder, at most 60 characters (long titles are quoted with "…"). */
const quotable = (title: string) => title.split("${")[0]!.slice(0, 60);

describe("docs/testing.md", () => {
  it("quotes every @critical e2e test, with its spec file", () => {
    const tests = criticalTests();
    expect(tests.length).toBeGreaterThanOrEqual(20);
    const missing = tests.filter(({ file, title }) => !DOC.includes(quotable(title)) || !DOC.includes(`\`${file}\``));
    expect(missing.map((t) => `${t.file}: ${t.title}`)).toEqual([]);
  });

  it("names only repository paths that exist", () => {
    const top = ["src/", "tests/", "e2e/", "scripts/", "inngest/", "packages/", "perf/", "ops/", "docs/", "prisma/", ".github/", ".ci/"];
    const paths = [...DOC.matchAll(/`([^`\s]+)`/g)]
      .map((m) => m[1]!)
      .filter((p) => top.some((t) => p.startsWith(t)) && !p.includes("<") && !p.includes("*") && !p.includes("{"))
      .map((p) => p.replace(/[.,;:]$/, "").replace(/\/…$/, ""));
    expect(paths.length).toBeGreaterThan(30);
    // Spec files are named bare in the table (`chat.spec.ts`): they live in e2e/tests.
    const specs = [...DOC.matchAll(/`([a-z0-9-]+\.spec\.ts)`/g)].map((m) => `e2e/tests/${m[1]}`);
    expect([...paths, ...specs].filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
