import { describe, expect, it } from "vitest";
import { safeUrl } from "./safe-url";

describe("safeUrl", () => {
  it("keeps absolute http, https and mailto links", () => {
    expect(safeUrl("https://example.com/a?b=1#c")).toBe("https://example.com/a?b=1#c");
    expect(safeUrl(" http://example.com ")).toBe("http://example.com/");
    expect(safeUrl("mailto:cfo@example.com")).toBe("mailto:cfo@example.com");
  });

  it("refuses script, data, file and relative URLs, however they are spelled", () => {
    for (const bad of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd", "/t/acme/settings", "//evil.example/x", "#top", ""]) {
      expect(safeUrl(bad), bad).toBeNull();
    }
  });
});
