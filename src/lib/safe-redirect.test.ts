import { describe, expect, it } from "vitest";
import { localisedNextPath } from "./safe-redirect";

describe("localisedNextPath", () => {
  it("keeps same-site paths and swaps the locale prefix", () => {
    expect(localisedNextPath("/en/t/acme/members", "es")).toBe("/es/t/acme/members");
    expect(localisedNextPath("/workspaces?x=1", "en")).toBe("/en/workspaces?x=1");
    expect(localisedNextPath("/es", "en")).toBe("/en");
  });

  it.each(["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", null, undefined])(
    "refuses %s and falls back",
    (next) => {
      expect(localisedNextPath(next, "en")).toBe("/en/workspaces");
    },
  );
});
