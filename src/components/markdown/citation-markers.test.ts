import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { describe, expect, it } from "vitest";
import { CITATION_ATTRIBUTE, citedNumbers, remarkCitations, splitMarkers } from "./citation-markers";

// The markers go through the same pipeline as the chat's SafeMarkdown
// (react-markdown + GFM + the plugin); the button stand-in shows what the
// renderer receives.
const render = (text: string) =>
  renderToStaticMarkup(
    createElement(
      Markdown,
      {
        remarkPlugins: [remarkGfm, remarkCitations],
        components: {
          button: (props: { children?: ReactNode }) => createElement("mark", {}, `#${String((props as Record<string, unknown>)[CITATION_ATTRIBUTE])}`, props.children),
        },
      },
      text,
    ),
  );

describe("splitMarkers / citedNumbers", () => {
  it("finds [n], [n, m] and [1][2] forms and keeps the rest as text", () => {
    expect(splitMarkers("Cash [1], travel [2, 3] and hotels[4][5].")).toEqual([
      { type: "text", value: "Cash " },
      { type: "refs", numbers: [1] },
      { type: "text", value: ", travel " },
      { type: "refs", numbers: [2, 3] },
      { type: "text", value: " and hotels" },
      { type: "refs", numbers: [4] },
      { type: "refs", numbers: [5] },
      { type: "text", value: "." },
    ]);
    expect(citedNumbers("See [3] and [1, 3] then [2]")).toEqual([3, 1, 2]);
  });

  it("ignores brackets that are not markers", () => {
    expect(citedNumbers("[a] [] [123] [1,] [ 1 ] array[i]")).toEqual([]);
    expect(splitMarkers("no markers")).toEqual([{ type: "text", value: "no markers" }]);
  });
});

describe("remarkCitations", () => {
  it("turns markers in prose, lists and tables into marker elements", () => {
    const html = render('Runway is 9 months [1].\n\n- "Hotels up to 150 EUR" — Finance policy, p. 3 [2, 3]\n\n| a |\n|---|\n| x [4][5] |');
    expect(html).toContain("<p>Runway is 9 months <mark>#1[1]</mark>.</p>");
    expect(html).toContain("<mark>#2[2]</mark><mark>#3[3]</mark>");
    expect(html).toContain("<mark>#4[4]</mark><mark>#5[5]</mark>");
  });

  it("leaves code and links alone, and raw HTML stays escaped text", () => {
    const html = render("`arr[1]` and\n\n```\nx[2]\n```\n\n[see [3]](https://example.com) <b>[4]</b>");
    expect(html).toContain("<p><code>arr[1]</code> and</p>");
    expect(html).toContain("<pre><code>x[2]\n</code></pre>");
    expect(html).toContain('<a href="https://example.com">see [3]</a>');
    // The tags around [4] are shown as text (no rehype-raw); the marker between them is prose.
    expect(html).toContain("&lt;b&gt;<mark>#4[4]</mark>&lt;/b&gt;");
    expect(html.match(/<mark>/g)).toHaveLength(1);
  });
});
