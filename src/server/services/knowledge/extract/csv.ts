import type { ExtractedDocument, ExtractLimits } from "./types";
import { DocumentBuilder, collapseSpaces, decodeUtf8OrThrow } from "./text";

// RFC 4180 CSV (plus `;` and tab delimiters, LF/CRLF/CR line ends). Each data
// row becomes one block rendered as `header: value; header: value`, so a row
// matches a search for its column names and values together.

export const CSV_DELIMITERS = [",", ";", "\t"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/**
 * Streams records out of `text`. `onRecord` returning false stops parsing.
 * Returns whether the text ended inside an open quote (a malformed or cut sample).
 */
export function parseCsv(
  text: string,
  delimiter: string,
  onRecord: (fields: string[]) => boolean | void,
): { unterminatedQuote: boolean; blankLinesBetweenRecords: number } {
  let records = 0;
  let blankLinesBetweenRecords = 0;
  let sawBlank = false;
  const emit = (f: string[]) => {
    if (sawBlank && records > 0) blankLinesBetweenRecords++;
    sawBlank = false;
    records++;
    return onRecord(f);
  };
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let fieldStarted = false; // distinguishes an empty line from a record with one empty field
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === "") {
      inQuotes = true;
      fieldStarted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = "";
      fieldStarted = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (fieldStarted || field !== "" || fields.length) {
        fields.push(field);
        if (emit(fields) === false) return { unterminatedQuote: false, blankLinesBetweenRecords };
      } else sawBlank = true;
      fields = [];
      field = "";
      fieldStarted = false;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (fieldStarted || field !== "" || fields.length) {
    fields.push(field);
    emit(fields);
  }
  return { unterminatedQuote: inQuotes, blankLinesBetweenRecords };
}

/**
 * The delimiter that splits the first records of `sample` into the same
 * number (≥ 2) of fields, or null when none does: that is what makes text a table.
 */
export function sniffCsvDelimiter(sample: string, opts: { sampleIsComplete: boolean }): CsvDelimiter | null {
  // Drop a possibly cut last line of a partial sample.
  const text = opts.sampleIsComplete ? sample : sample.slice(0, Math.max(0, sample.lastIndexOf("\n")));
  let best: { d: CsvDelimiter; cols: number } | null = null;
  for (const d of CSV_DELIMITERS) {
    const counts: number[] = [];
    const { unterminatedQuote, blankLinesBetweenRecords } = parseCsv(text, d, (fields) => {
      counts.push(fields.length);
      return counts.length < 20;
    });
    // Tables do not have blank lines between rows; prose paragraphs with a comma each do.
    if (blankLinesBetweenRecords > 0) continue;
    if (unterminatedQuote) {
      if (opts.sampleIsComplete) continue;
      counts.pop(); // the sample cut a quoted field in half
    }
    if (counts.length < 2) continue;
    const cols = counts[0]!;
    if (cols < 2 || !counts.every((c) => c === cols)) continue;
    if (!best || cols > best.cols) best = { d, cols };
  }
  return best?.d ?? null;
}

export function extractCsv(bytes: Uint8Array, limits: ExtractLimits): ExtractedDocument {
  const text = decodeUtf8OrThrow(bytes);
  const delimiter = sniffCsvDelimiter(text.slice(0, 64 * 1024), { sampleIsComplete: text.length <= 64 * 1024 }) ?? ",";
  const doc = new DocumentBuilder(limits);
  let header: string[] | null = null;
  parseCsv(text, delimiter, (fields) => {
    if (!header) {
      header = fields.map((h, i) => collapseSpaces(h) || `column ${i + 1}`);
      return;
    }
    const h = header;
    const parts: string[] = [];
    fields.forEach((v, i) => {
      const value = collapseSpaces(v);
      if (value) parts.push(`${h[i] ?? `column ${i + 1}`}: ${value}`);
    });
    // DocumentBuilder throws textTooLarge as soon as the rows pass the limit.
    if (parts.length) doc.add(parts.join("; "), null, null);
  });
  return doc.build(null);
}
