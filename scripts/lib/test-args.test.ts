import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseTestArgs } from "./test-args.mjs";

// The argument rules of `npm test` (scripts/test.mjs): docs/testing.md and CI rely on
// `npm test -- e2e --grep @critical` running only the tagged journeys, and on `npm test` and
// `npm test -- unit e2e` keeping their meaning.
const STEPS = ["lint", "typecheck", "unit", "rotation", "build", "drill", "e2e"];
const TAKES = new Set(["unit", "e2e"]);

describe("parseTestArgs", () => {
  it("no arguments: every step, nothing passed through", () => {
    expect(parseTestArgs([], STEPS, TAKES)).toEqual({ ok: true, steps: STEPS, extra: [] });
  });

  it("step names pick those steps in the order given", () => {
    expect(parseTestArgs(["unit", "e2e"], STEPS, TAKES)).toEqual({ ok: true, steps: ["unit", "e2e"], extra: [] });
  });

  it("arguments from the first dash on go to the last step (the @critical subset)", () => {
    expect(parseTestArgs(["e2e", "--grep", "@critical"], STEPS, TAKES)).toEqual({ ok: true, steps: ["e2e"], extra: ["--grep", "@critical"] });
    expect(parseTestArgs(["build", "e2e", "--grep", "@critical", "--reporter=list"], STEPS, TAKES)).toEqual({
      ok: true,
      steps: ["build", "e2e"],
      extra: ["--grep", "@critical", "--reporter=list"],
    });
  });

  it("a lone -- starts the pass-through and is dropped (a file filter for vitest)", () => {
    expect(parseTestArgs(["unit", "--", "src/lib"], STEPS, TAKES)).toEqual({ ok: true, steps: ["unit"], extra: ["src/lib"] });
  });

  it("a misspelt step is refused with the list, not handed to a tool", () => {
    const r = parseTestArgs(["unit", "e2ee"], STEPS, TAKES);
    expect(r).toEqual({ ok: false, error: expect.stringContaining("unknown step(s): e2ee; steps are: lint, typecheck") });
  });

  it("pass-through without a step, or to a step whose tool takes none, is refused", () => {
    expect(parseTestArgs(["--grep", "@critical"], STEPS, TAKES)).toMatchObject({ ok: false, error: expect.stringContaining("need a step") });
    expect(parseTestArgs(["lint", "--fix"], STEPS, TAKES)).toMatchObject({ ok: false, error: "step lint takes no arguments; these do: unit, e2e" });
  });
});

describe("scripts/test.mjs", () => {
  // Only refusals are run for real: any accepted invocation would start the (long) steps.
  const root = path.resolve(import.meta.dirname, "../..");
  const runTest = (...args: string[]) => spawnSync(process.execPath, ["scripts/test.mjs", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

  it("exits 2 with the reason before running anything when the arguments are wrong", () => {
    const typo = runTest("unit", "e2ee");
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("unknown step(s): e2ee");
    expect(typo.stdout).not.toContain("=== npm test:");
    const stray = runTest("--grep", "@critical");
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain("need a step");
  });
});
