import { describe, expect, test } from "vitest";
import {
  ELF_BYTES,
  PNG_BYTES,
  makeCsv,
  makeDocx,
  makeEncryptedPdf,
  makeHtml,
  makeMarkdown,
  makeOtherZip,
  makePdf,
  makeText,
  makeZipBomb,
  randomBytes,
  truncate,
} from "../../../../../tests/support/sample-files";
import { detectKind } from "./index";

const u8 = (s: string) => new TextEncoder().encode(s);

describe("detectKind decides by content only", async () => {
  const pdf = await makePdf({ pages: ["Quarterly revenue grew."] });
  const docx = makeDocx({ blocks: [{ heading: "Plan", text: "Hire two engineers." }] });

  const cases: Array<[string, Uint8Array, string | null, string?]> = [
    ["generated PDF", pdf, "pdf", "application/pdf"],
    ["encrypted PDF (still a PDF)", makeEncryptedPdf(), "pdf"],
    ["truncated PDF (extraction reports it)", truncate(pdf, 200), "pdf"],
    ["generated DOCX", docx, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["truncated DOCX (local headers still name word/)", truncate(docx, 300), "docx"],
    ["zip bomb dressed as DOCX (extraction refuses it)", makeZipBomb({ inflatedBytes: 1024 * 1024 }), "docx"],
    ["HTML page", makeHtml({ title: "T", sections: [{ heading: "A", text: "b" }] }), "html", "text/html"],
    ["HTML without doctype", u8("<html><body><p>Hello</p></body></html>"), "html"],
    ["HTML fragment", u8("\ufeff  <div class=x><p>Hello</p><p>World</p></div>"), "html"],
    ["XHTML", u8('<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>'), "html"],
    ["CSV", makeCsv({ header: ["name", "city"], rows: [["Ana", "Lima"], ["Bo", "Oslo, NO"]] }), "csv", "text/csv"],
    ["semicolon CSV", makeCsv({ header: ["a", "b", "c"], rows: [["1", "2", "3"]], delimiter: ";" }), "csv"],
    ["TSV", makeCsv({ header: ["a", "b"], rows: [["1", "2"]], delimiter: "\t" }), "csv", "text/tab-separated-values"],
    ["CSV with a quoted multi-line field", u8('id,note\n1,"line one\nline two, still"\n2,plain\n'), "csv"],
    ["Markdown with headings", makeMarkdown({ title: "Guide", sections: [{ heading: "Setup", text: "Run it." }] }), "markdown", "text/markdown"],
    ["Markdown with lists and links only", u8("Things to do:\n\n- read [the docs](https://example.com)\n- write **tests**\n"), "markdown"],
    ["Markdown with a fence", u8("Example:\n\n```js\nconsole.log(1)\n```\n"), "markdown"],
    ["plain text", makeText(["Dear team, the offsite is on Friday.", "Bring, if you can, a laptop.", "Thanks, Ana"]), "text", "text/plain"],
    ["plain text one line", u8("just a note"), "text"],
    ["text that says it is a PDF", u8("This file was saved as report.pdf but it is text."), "text"],
    ["UTF-8 text with accents and emoji", u8("Año nuevo, café y 🎉 para todos"), "text"],
    ["empty file (extraction reports fileEmpty)", new Uint8Array(0), "text"],
    ["whitespace only", u8(" \n\t \r\n"), "text"],
    ["PNG", PNG_BYTES, null],
    ["ELF executable", ELF_BYTES, null],
    ["random bytes", randomBytes(4096), null],
    ["invalid UTF-8 (latin-1 text)", new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6c, 0xe9]), null],
    ["text with NUL bytes", u8("hello\0world\0\0\0"), null],
    ["a zip of other things", makeOtherZip(), null],
    ["truncated zip header only", u8("PK\x03\x04"), null],
  ];

  test.each(cases)("%s", (_name, bytes, kind, mime) => {
    const got = detectKind(bytes);
    if (kind === null) expect(got).toBeNull();
    else {
      expect(got?.kind).toBe(kind);
      if (mime) expect(got?.mimeType).toBe(mime);
    }
  });

  test("names are not inputs: the same bytes are detected the same way whatever they would be called", () => {
    // detectKind takes no name at all; a PDF is a PDF and text is text.
    expect(detectKind.length).toBe(1);
    expect(detectKind(pdf)?.kind).toBe("pdf");
    expect(detectKind(u8("Saved as notes.pdf, but only text."))?.kind).toBe("text");
  });
});
