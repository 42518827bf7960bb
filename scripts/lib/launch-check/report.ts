/**
 * The launch check's rows and how they are printed: one row per check with its
 * status, what was found and how to fix it (a doc link), as a table for a
 * person or as JSON for a pipeline (`--json`).
 */
export type Status = "pass" | "fail" | "warn";
export type Row = { check: string; status: Status; detail: string; fix: string };

/** production (the default): a go-live. staging: what only matters for real users is a warning. */
export type Mode = "production" | "staging";

export const row = (check: string, status: Status, detail: string, fix = ""): Row => ({ check, status, detail, fix: status === "pass" ? "" : fix });

/** A fail in production that a staging run only warns about. */
export const failInProduction = (mode: Mode): Status => (mode === "production" ? "fail" : "warn");

export const summary = (rows: Row[]) => ({
  pass: rows.filter((r) => r.status === "pass").length,
  warn: rows.filter((r) => r.status === "warn").length,
  fail: rows.filter((r) => r.status === "fail").length,
});

const MARK: Record<Status, string> = { pass: "PASS", warn: "WARN", fail: "FAIL" };

/** A plain-text table: the detail and fix wrap under their row so a terminal stays readable. */
export const formatTable = (rows: Row[], heading: string): string => {
  const width = Math.max(...rows.map((r) => r.check.length), 5);
  const lines = [heading, "", `${"check".padEnd(width)}  status  detail`, `${"-".repeat(width)}  ------  ${"-".repeat(40)}`];
  for (const r of rows) {
    lines.push(`${r.check.padEnd(width)}  ${MARK[r.status].padEnd(6)}  ${r.detail}`);
    if (r.fix) lines.push(`${" ".repeat(width + 10)}fix: ${r.fix}`);
  }
  const s = summary(rows);
  lines.push("", `${s.pass} passed, ${s.warn} warnings, ${s.fail} failed`);
  return lines.join("\n");
};
