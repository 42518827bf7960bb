/*
 * The metric names and label names a PromQL expression refers to, for the
 * test that holds every rule and dashboard to the metric catalogue.
 *
 * Why a small tokenizer and no parser library: promtool already proves the
 * rules parse (and Grafana queries carry `$__rate_interval`-style macros no
 * PromQL parser accepts), so all this needs is to tell a series selector
 * from a function, an aggregation, a keyword, a label list or a string — a
 * lexical question. The maintained parser (@prometheus-io/lezer-promql) would
 * bring a grammar runtime for that. Anything this tokenizer cannot judge
 * (label_replace's label-name strings, say) throws instead of passing.
 */

type TTok = { kind: "ident" | "string" | "number" | "range" | "var" | "punct"; text: string };

const PUNCT = ["=~", "!~", "!=", "==", ">=", "<=", "(", ")", "{", "}", ",", "=", ">", "<", "+", "-", "*", "/", "%", "^", "@"];

const lex = (q: string): TTok[] => {
  const out: TTok[] = [];
  let i = 0;
  while (i < q.length) {
    const rest = q.slice(i);
    const ch = q[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "#") {
      i = q.includes("\n", i) ? q.indexOf("\n", i) : q.length;
    } else if (ch === '"' || ch === "'" || ch === "`") {
      let j = i + 1;
      while (j < q.length && q[j] !== ch) j += q[j] === "\\" && ch !== "`" ? 2 : 1;
      if (j >= q.length) throw new Error(`unterminated string in: ${q}`);
      out.push({ kind: "string", text: q.slice(i + 1, j) });
      i = j + 1;
    } else if (ch === "[") {
      // A range or subquery ([5m], [$__rate_interval], [1h:5m]): durations only, no names.
      const j = q.indexOf("]", i);
      if (j < 0) throw new Error(`unterminated [ in: ${q}`);
      out.push({ kind: "range", text: q.slice(i + 1, j) });
      i = j + 1;
    } else if (ch === "$") {
      const m = /^\$\{?\w+\}?/.exec(rest);
      if (!m) throw new Error(`stray $ in: ${q}`);
      out.push({ kind: "var", text: m[0] });
      i += m[0].length;
    } else if (/[0-9.]/.test(ch)) {
      // Numbers (0.95, 1e-9, 0x1f) and durations (5m, 1h30m) alike: never a name.
      const m = /^(0x[0-9a-f]+|[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?)([a-z]+[0-9a-z]*)*/i.exec(rest)!;
      out.push({ kind: "number", text: m[0] });
      i += m[0].length;
    } else if (/[a-zA-Z_:]/.test(ch)) {
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest)!;
      out.push({ kind: "ident", text: m[0] });
      i += m[0].length;
    } else {
      const p = PUNCT.find((s) => rest.startsWith(s));
      if (!p) throw new Error(`unexpected "${ch}" in: ${q}`);
      out.push({ kind: "punct", text: p });
      i += p.length;
    }
  }
  return out;
};

/** Keywords that take a parenthesised label list. */
const LABEL_LISTS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
/** Keywords and constants that are neither names nor functions. */
const WORDS = new Set(["and", "or", "unless", "bool", "offset", "atan2", "inf", "nan", "start", "end"]);
/** Aggregation operators: `sum by (x) (…)` puts a keyword, not "(", after the name. */
const AGGREGATORS = new Set(["sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "bottomk", "topk", "quantile", "limitk", "limit_ratio"]);
/** Functions whose string arguments are label names: out of this tokenizer's depth. */
const LABEL_STRING_FUNCTIONS = new Set(["label_replace", "label_join", "count_values", "sort_by_label", "sort_by_label_desc"]);

type TSelector = { metric: string; labels: string[] };
export type TPromqlNames = { selectors: TSelector[]; groupingLabels: string[] };

/** Reads `{a="x", b=~"y"}` from tokens[start] ("{"): the label names, and the index after "}". */
const matchers = (toks: TTok[], start: number): { labels: string[]; nameValue?: string; next: number } => {
  const labels: string[] = [];
  let nameValue: string | undefined;
  let i = start + 1;
  while (i < toks.length && toks[i]!.text !== "}") {
    const [label, op, value] = [toks[i], toks[i + 1], toks[i + 2]];
    if (label?.kind !== "ident" || op?.kind !== "punct" || value?.kind !== "string") throw new Error(`bad matcher near "${label?.text}"`);
    if (label.text === "__name__") nameValue = value.text;
    else labels.push(label.text);
    i += 3;
    if (toks[i]?.text === ",") i++;
  }
  return { labels, nameValue, next: i + 1 };
};

export const promqlNames = (query: string): TPromqlNames => {
  const toks = lex(query);
  const selectors: TSelector[] = [];
  const groupingLabels: string[] = [];
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    const next = toks[i + 1];
    if (t.kind === "punct" && t.text === "{") {
      const m = matchers(toks, i);
      if (!m.nameValue) throw new Error(`a selector without a metric name in: ${query}`);
      selectors.push({ metric: m.nameValue, labels: m.labels });
      i = m.next;
    } else if (t.kind !== "ident") {
      i++;
    } else if (LABEL_LISTS.has(t.text.toLowerCase())) {
      i++;
      if (toks[i]?.text === "(") {
        for (i++; i < toks.length && toks[i]!.text !== ")"; i++) if (toks[i]!.kind === "ident") groupingLabels.push(toks[i]!.text);
        i++;
      }
    } else if (WORDS.has(t.text.toLowerCase()) || (AGGREGATORS.has(t.text) && ["(", "by", "without"].includes(next?.text ?? ""))) {
      i++;
    } else if (next?.text === "(") {
      if (LABEL_STRING_FUNCTIONS.has(t.text)) throw new Error(`${t.text}() names labels in strings; extend promql-names.ts before using it`);
      i++;
    } else if (next?.text === "{") {
      const m = matchers(toks, i + 1);
      selectors.push({ metric: t.text, labels: m.labels });
      i = m.next;
    } else {
      selectors.push({ metric: t.text, labels: [] });
      i++;
    }
  }
  return { selectors, groupingLabels };
};
