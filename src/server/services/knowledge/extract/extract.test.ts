import { describe, expect, test } from "vitest";
import { strToU8 } from "fflate";
import { documentXml, makeCsv, makeDocx, makeHtml, makeMarkdown, makePdf, makeText } from "../../../../../tests/support/sample-files";
import { detectKind, documentText, extractDocument, type ExtractedDocument } from "./index";

const u8 = (s: string) => new TextEncoder().encode(s);

async function extract(bytes: Uint8Array): Promise<ExtractedDocument> {
  const detected = detectKind(bytes);
  if (!detected) throw new Error("not detected");
  return extractDocument(bytes, detected.kind);
}

/** charCount is the length of the concatenated text that chunk offsets index into. */
function expectConsistent(doc: ExtractedDocument) {
  expect(doc.charCount).toBe(documentText(doc).length);
  for (const b of doc.blocks) expect(b.text.trim()).toBe(b.text);
}

describe("PDF", () => {
  test("text per page with 1-based page numbers, paragraphs as blocks, metadata title", async () => {
    const pages = [
      "Revenue grew by twelve percent in the third quarter.\n\nMargins held steady across all regions.",
      "Hiring plan: two engineers and one designer.",
      "The board approved the budget for next year.",
    ];
    const doc = await extract(await makePdf({ pages, title: "Board pack" }));
    expectConsistent(doc);
    expect(doc.pageCount).toBe(3);
    expect(doc.title).toBe("Board pack");
    expect(doc.blocks).toEqual([
      { page: 1, heading: null, text: "Revenue grew by twelve percent in the third quarter." },
      { page: 1, heading: null, text: "Margins held steady across all regions." },
      { page: 2, heading: null, text: "Hiring plan: two engineers and one designer." },
      { page: 3, heading: null, text: "The board approved the budget for next year." },
    ]);
  });

  test("a page without text is skipped, the others keep their numbers", async () => {
    const doc = await extract(await makePdf({ pages: ["First page words.", "", "Third page words."] }));
    expect(doc.pageCount).toBe(3);
    expect(doc.blocks.map((b) => [b.page, b.text])).toEqual([
      [1, "First page words."],
      [3, "Third page words."],
    ]);
  });

  test("long wrapped paragraphs come back as one paragraph with its words intact", async () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    const doc = await extract(await makePdf({ pages: [long] }));
    expect(doc.blocks).toHaveLength(1);
    expect(doc.blocks[0]!.text.replace(/\s+/g, " ")).toBe(long);
  });
});

describe("DOCX", () => {
  test("headings from styles, paragraphs, tables as rows, page breaks as pages", async () => {
    const bytes = makeDocx({
      blocks: [
        { heading: "Introduction", text: "OC Suite helps small firms.\n\nIt runs on your own server." },
        { heading: "Pricing", text: "Plans start at ten euros.", table: [["Plan", "Price"], ["Basic", "10 EUR"], ["Pro", "25 EUR"]] },
        { heading: "Appendix", text: "Contact sales for volume deals.", pageBreakBefore: true },
      ],
    });
    const doc = await extract(bytes);
    expectConsistent(doc);
    expect(doc.pageCount).toBe(2);
    expect(doc.blocks).toEqual([
      { page: 1, heading: "Introduction", text: "Introduction" },
      { page: 1, heading: "Introduction", text: "OC Suite helps small firms." },
      { page: 1, heading: "Introduction", text: "It runs on your own server." },
      { page: 1, heading: "Pricing", text: "Pricing" },
      { page: 1, heading: "Pricing", text: "Plans start at ten euros." },
      { page: 1, heading: "Pricing", text: "Plan | Price\nBasic | 10 EUR\nPro | 25 EUR" },
      { page: 2, heading: "Appendix", text: "Appendix" },
      { page: 2, heading: "Appendix", text: "Contact sales for volume deals." },
    ]);
  });

  test("without any page marker, pages are unknown (null) rather than all page 1", async () => {
    const doc = await extract(makeDocx({ blocks: [{ heading: "Only", text: "One section." }] }));
    expect(doc.pageCount).toBeNull();
    expect(doc.blocks.every((b) => b.page === null)).toBe(true);
  });

  test("Word's real-world markup: localised heading style ids via styles.xml, title, rendered page breaks, deleted text and field codes", async () => {
    const styles = `<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
      <w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style></w:styles>`;
    const core = `<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Jahresbericht &amp; Plan</dc:title></cp:coreProperties>`;
    const body = [
      `<w:p><w:pPr><w:pStyle w:val="Titel"/></w:pPr><w:r><w:t>Report</w:t></w:r></w:p>`,
      `<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Umsatz</w:t></w:r></w:p>`,
      `<w:p><w:r><w:t xml:space="preserve">Sales </w:t></w:r><w:del><w:r><w:delText>fell</w:delText></w:r></w:del><w:r><w:t>rose</w:t></w:r>`,
      `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t xml:space="preserve"> &amp; costs &lt;fell&gt;.</w:t></w:r></w:p>`,
      // Word writes both an explicit break and a rendered break for one page: counted once.
      `<w:p><w:r><w:br w:type="page"/></w:r></w:p><w:p><w:r><w:lastRenderedPageBreak/><w:t>Second page.</w:t><w:tab/><w:t>Tabbed.</w:t></w:r></w:p>`,
      `<w:p><w:r><w:t>Start of a paragraph</w:t><w:lastRenderedPageBreak/><w:t>that flows to page three.</w:t></w:r></w:p>`,
    ].join("");
    const bytes = makeDocx({ blocks: [], documentXml: documentXml(body), extra: { "word/styles.xml": strToU8(styles), "docProps/core.xml": strToU8(core) } });
    const doc = await extract(bytes);
    expectConsistent(doc);
    expect(doc.title).toBe("Jahresbericht & Plan");
    expect(doc.pageCount).toBe(3);
    expect(doc.blocks).toEqual([
      { page: 1, heading: "Report", text: "Report" },
      { page: 1, heading: "Umsatz", text: "Umsatz" },
      { page: 1, heading: "Umsatz", text: "Sales rose & costs <fell>." },
      { page: 2, heading: "Umsatz", text: "Second page. Tabbed." },
      { page: 2, heading: "Umsatz", text: "Start of a paragraph" },
      { page: 3, heading: "Umsatz", text: "that flows to page three." },
    ]);
  });

  test("XML with a DTD: no external entity is fetched and no entity is expanded (XXE, billion laughs)", async () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE w:document [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Before &xxe; after &lol3; end</w:t></w:r></w:p></w:body></w:document>`;
    const doc = await extract(makeDocx({ blocks: [], documentXml: xml }));
    const text = documentText(doc);
    expect(text).toContain("Before");
    expect(text).not.toContain("root:");
    expect(text).not.toContain("lollol");
    expect(text.length).toBeLessThan(200);
  });
});

describe("HTML", () => {
  test("headings, title and entity-decoded text; nothing from scripts, styles, handlers or comments", async () => {
    const bytes = makeHtml({
      title: "Policies & more",
      sections: [
        { heading: "Refunds", text: "Refunds are issued within 14 days & never in cash." },
        { heading: "Shipping", text: "We ship to the EU." },
      ],
    });
    const doc = await extract(bytes);
    expectConsistent(doc);
    expect(doc.title).toBe("Policies & more");
    expect(doc.blocks).toEqual([
      { page: null, heading: "Refunds", text: "Refunds" },
      { page: null, heading: "Refunds", text: "Refunds are issued within 14 days & never in cash. safe link text" },
      { page: null, heading: "Shipping", text: "Shipping" },
      { page: null, heading: "Shipping", text: "We ship to the EU. safe link text" },
    ]);
    const all = `${doc.title}\n${documentText(doc)}\n${doc.blocks.map((b) => b.heading).join("\n")}`;
    for (const bad of ["alert(", "<script", "javascript:", "onclick", "onload", "injected", "noscript-text", "template-text", "iframe-text", "svg-text", "object-text", "comment-text", "background"]) {
      expect(all).not.toContain(bad);
    }
  });

  test("escaped markup shown as text cannot turn back into a script tag", async () => {
    const doc = await extract(u8("<!doctype html><p>Example: &lt;script&gt;steal()&lt;/script&gt; and &lt;IFRAME src=x&gt;</p>"));
    const text = documentText(doc);
    expect(text).not.toMatch(/<\s*\/?\s*(script|iframe)/i);
    expect(text).toContain("steal()"); // the words stay searchable
  });

  test("an unclosed script swallows the rest rather than leaking it", async () => {
    const doc = await extract(u8("<html><body><p>Visible</p><script>alert('x'); <p>not html</p>"));
    expect(documentText(doc)).toBe("Visible");
  });

  test("tables become rows with cells separated by |, <br> keeps line breaks, <pre> keeps layout", async () => {
    const doc = await extract(u8("<!DOCTYPE html><body><table><tr><th>Name</th><th>Role</th></tr><tr><td>Ana</td><td>CEO</td></tr></table><p>Line one<br>Line two</p><pre>a  b\n  c</pre></body>"));
    expect(doc.blocks.map((b) => b.text)).toEqual(["Name | Role", "Ana | CEO", "Line one\nLine two", "a  b\n  c"]);
  });

  test("a legacy charset declared by the page is honoured", async () => {
    const latin1 = new Uint8Array([...u8('<html><head><meta charset="windows-1252"></head><body><p>Caf'), 0xe9, ...u8(" cr"), 0xe8, ...u8("me</p></body></html>")]);
    expect(detectKind(latin1)?.kind).toBe("html");
    expect(documentText(await extractDocument(latin1, "html"))).toBe("Café crème");
  });
});

describe("Markdown", () => {
  test("headings become block headings; markup noise goes, content stays", async () => {
    const md = [
      "---",
      'title: "Team handbook"',
      "tags: [a, b]",
      "---",
      "",
      "# Handbook",
      "",
      "Welcome to **OC Suite**. Read the [guide](https://example.com/guide) and `npm test`.",
      "",
      "## Holidays",
      "",
      "- 25 days per year",
      "- [x] carry over up to *five*",
      "",
      "> Ask your manager first.",
      "",
      "| Region | Days |",
      "|--------|-----:|",
      "| EU     | 25   |",
      "",
      "Remote work",
      "-----------",
      "",
      "```bash",
      "echo keep code as it is",
      "```",
      "",
      "<div onclick=\"alert(1)\">Inline <b>html</b></div><script>alert(2)</script>",
    ].join("\n");
    const doc = await extract(u8(md));
    expectConsistent(doc);
    expect(doc.title).toBe("Team handbook");
    expect(doc.blocks).toEqual([
      { page: null, heading: "Handbook", text: "Handbook" },
      { page: null, heading: "Handbook", text: "Welcome to OC Suite. Read the guide and npm test." },
      { page: null, heading: "Holidays", text: "Holidays" },
      { page: null, heading: "Holidays", text: "• 25 days per year\ncarry over up to five" },
      { page: null, heading: "Holidays", text: "Ask your manager first." },
      { page: null, heading: "Holidays", text: "Region | Days\nEU | 25" },
      { page: null, heading: "Remote work", text: "Remote work" },
      { page: null, heading: "Remote work", text: "echo keep code as it is" },
      { page: null, heading: "Remote work", text: "Inline html" },
    ]);
  });

  test("the generator's sections come back as headed blocks", async () => {
    const doc = await extract(makeMarkdown({ title: "Guide", sections: [{ heading: "Install", text: "Run the installer." }] }));
    expect(doc.title).toBe("Guide");
    expect(doc.blocks.at(-1)).toEqual({ page: null, heading: "Install", text: "Run the installer." });
  });
});

describe("plain text", () => {
  test("paragraphs become blocks; CRLF, BOM and control characters are normalised", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...u8("First para\r\nstill first.\r\n\r\n\r\nSecond\u0007 para.  \r\n")]);
    const doc = await extract(bytes);
    expectConsistent(doc);
    expect(doc.title).toBeNull();
    expect(doc.blocks).toEqual([
      { page: null, heading: null, text: "First para\nstill first." },
      { page: null, heading: null, text: "Second para." },
    ]);
  });

  test("makeText round-trips", async () => {
    const doc = await extract(makeText(["alpha beta", "gamma"]));
    expect(doc.blocks.map((b) => b.text)).toEqual(["alpha beta", "gamma"]);
  });
});

describe("CSV", () => {
  test("each row is one searchable block of header: value pairs; quotes and embedded newlines handled", async () => {
    const bytes = makeCsv({
      header: ["Customer", "City", "Note"],
      rows: [
        ["Acme", "Lima", 'Said "yes", then paid'],
        ["Globex", "", "multi\nline"],
      ],
    });
    const doc = await extract(bytes);
    expectConsistent(doc);
    expect(doc.blocks).toEqual([
      { page: null, heading: null, text: 'Customer: Acme; City: Lima; Note: Said "yes", then paid' },
      { page: null, heading: null, text: "Customer: Globex; Note: multi line" },
    ]);
  });

  test("semicolon and tab delimiters; missing headers are named by position", async () => {
    const semi = await extract(makeCsv({ header: ["a", ""], rows: [["1", "2"]], delimiter: ";" }));
    expect(semi.blocks[0]!.text).toBe("a: 1; column 2: 2");
    const tsv = await extract(makeCsv({ header: ["x", "y"], rows: [["3", "4,5"]], delimiter: "\t" }));
    expect(tsv.blocks[0]!.text).toBe("x: 3; y: 4,5");
  });
});
