import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { checkEngines } from "./check-engines.mjs";
import { LTS_MAJOR, MIN_NODE_MAJOR } from "./lib/node-runtime.mjs";

const rootPackage = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { engines: { node: string } };

describe("the Node we run on", () => {
  it("is a supported LTS line (22 at least)", () => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
    expect(semver.satisfies(process.versions.node, rootPackage.engines.node)).toBe(true);
  });

  it("is allowed by every installed package's engines.node (no EBADENGINE)", () => {
    const { checked, excluded } = checkEngines();
    expect(checked).toBeGreaterThan(100);
    expect(excluded).toEqual([]);
  });

  it("our engines range admits the LTS the helper installs and refuses end-of-life Node 20", () => {
    expect(semver.satisfies(`${LTS_MAJOR}.0.0`, rootPackage.engines.node)).toBe(true);
    expect(semver.satisfies("20.20.2", rootPackage.engines.node)).toBe(false);
  });

  it("finds a package whose range excludes an old Node", () => {
    // The checker itself works: under Node 20 the AI SDK (node >= 22) is reported.
    expect(checkEngines("20.20.2").excluded.map((e) => e.name)).toContain("ai");
  });
});
