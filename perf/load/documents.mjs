// Generated knowledge documents for the load test: the knowledge scenario
// uploads one per virtual user (processor.mjs) and the runner seeds a few per
// workspace before the scenarios (run.mjs), so chat, meetings and tasks search
// real indexed text, as they would in a workspace in use.

const WORDS = (
  "revenue margin runway hiring plan pricing churn retention warehouse robots picking subscription maintenance " +
  "forecast budget quarter customers pipeline contract renewal support uptime capacity supplier battery " +
  "safety compliance audit board decision risk growth market segment partner logistics inventory cost"
).split(" ");
/** Pages per generated document (PERF_LOAD_DOC_PAGES, default 5). */
export const DOC_PAGES = Number(process.env.PERF_LOAD_DOC_PAGES ?? 5);
const LINES_PER_PAGE = 40;

/** PDF string literal escaping. */
const pdfText = (s) => s.replace(/[\\()]/g, (c) => `\\${c}`);

/**
 * A small text PDF (`pages` pages of 40 lines, ~3,200 characters each), unique
 * per seed, so a workspace never sees the same file twice (uploads dedupe by SHA-256).
 * Hand-written PDF 1.4: catalog, page tree, one Helvetica font, and per page a
 * page object and its content stream; a correct cross-reference table.
 */
export const makePdf = (seed, pages = DOC_PAGES) => {
  let n = [...seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) & 0x7fffffff, 7);
  const rand = () => ((n = (Math.imul(n, 1103515245) + 12345) & 0x7fffffff), n >> 8);
  const objects = [];
  const pageIds = [];
  for (let p = 0; p < pages; p++) {
    const lines = [`Operating review ${seed}, page ${p + 1}`];
    for (let l = 1; l < LINES_PER_PAGE; l++) {
      const words = Array.from({ length: 9 }, () => WORDS[rand() % WORDS.length]);
      lines.push(`${words.join(" ")} ${seed.slice(0, 4)}${l}.`);
    }
    const stream = `BT /F1 10 Tf 12 TL 50 760 Td ${lines.map((l) => `(${pdfText(l)}) Tj T*`).join(" ")} ET`;
    const pageId = 4 + p * 2;
    pageIds.push(pageId);
    objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`;
  }
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((i) => `${i} 0 R`).join(" ")}] /Count ${pages} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  let out = "%PDF-1.4\n";
  const offsets = [];
  for (let i = 1; i < objects.length; i++) {
    offsets[i] = Buffer.byteLength(out);
    out += `${i} 0 obj\n${objects[i]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let i = 1; i < objects.length; i++) out += `${String(offsets[i]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
};
