import { describe, expect, it } from "vitest";
import { CANDIDATE_SHARE_STEPS, wordSetsByShare } from "./fts-terms";

const shares: Record<string, number> = { day: 1, work: 0.33, year: 0.64, another: 0.0165, country: 0.0169, many: 0.014, vacation: 0.12 };
const shareOf = (w: string) => shares[w] ?? 0;

describe("wordSetsByShare (which words select the passages to rank)", () => {
  it("matches on the rarest words within the first bound, then wider sets, then every word, in the question's order", () => {
    expect(CANDIDATE_SHARE_STEPS[0]).toBe(0.05);
    // many + another + country ≈ 0.047 ≤ 0.05; adding work (0.33) passes 0.25 too, so the next set is every word.
    expect(wordSetsByShare(["many", "day", "year", "work", "another", "country"], shareOf)).toEqual([
      ["many", "another", "country"],
      ["many", "day", "year", "work", "another", "country"],
    ]);
  });

  it("always matches on at least the rarest word, even when every word is common", () => {
    const sets = wordSetsByShare(["day", "year", "work"], shareOf);
    expect(sets[0]).toEqual(["work"]);
    expect(sets.at(-1)).toEqual(["day", "year", "work"]);
  });

  it("adds a wider set only when it has more words", () => {
    const sets = wordSetsByShare(["many", "vacation", "day"], shareOf);
    expect(sets).toEqual([["many"], ["many", "vacation"], ["many", "vacation", "day"]]);
  });

  it("words that match nothing cost nothing and are all kept", () => {
    expect(wordSetsByShare(["zzz", "qqq", "day"], shareOf)).toEqual([["zzz", "qqq"], ["zzz", "qqq", "day"]]);
  });
});
