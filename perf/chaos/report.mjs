/**
 * The "Faults under load" section: written by the chaos run (perf/chaos/run.mjs)
 * to docs/performance-chaos.md, and carried into docs/performance-baseline.md by
 * both generators — the chaos run replaces the section there (between the
 * markers below, or appends it), and perf/load/run.mjs includes it whenever it
 * rewrites the baseline — so neither file is ever edited by hand.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const CHAOS_REPORT = path.join(ROOT, "docs/performance-chaos.md");
const BEGIN = "<!-- faults-under-load:begin (written by npm run perf:chaos, perf/chaos/run.mjs) -->";
const END = "<!-- faults-under-load:end -->";

/** The section's lines (with its markers) as the last chaos run wrote them, or [] when there was none. */
export const faultsSection = (file = CHAOS_REPORT) => {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  return from >= 0 && to > from ? text.slice(from, to + END.length).split("\n") : [];
};

/** Wraps `lines` in the markers. */
export const markSection = (lines) => [BEGIN, ...lines, END];

/** Puts the current section into `file` (the baseline): replaces the old one, else appends it. */
export const spliceFaultsSection = (file) => {
  const section = faultsSection();
  if (!section.length || !existsSync(file)) return false;
  const text = readFileSync(file, "utf8");
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  const next = from >= 0 && to > from ? text.slice(0, from) + section.join("\n") + text.slice(to + END.length) : `${text.replace(/\n*$/, "\n")}\n${section.join("\n")}\n`;
  writeFileSync(file, next);
  return true;
};
