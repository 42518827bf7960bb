import { describe, expect, it } from "vitest";
import { clip } from "./clip";

describe("clip", () => {
  it("leaves text within the budget untouched, including exactly at it", () => {
    expect(clip("", 5)).toBe("");
    expect(clip("short", 5)).toBe("short");
  });

  it("cuts longer text to the budget, ending on the ellipsis", () => {
    const cut = clip("abcdefghij", 5);
    expect(cut).toBe("abcd…");
    expect(cut).toHaveLength(5);
  });

  it("drops the space before the ellipsis, so a cut never reads 'word …'", () => {
    expect(clip("one two three", 5)).toBe("one…");
  });
});
