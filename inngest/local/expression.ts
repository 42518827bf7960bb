/**
 * A small evaluator for the subset of CEL (Common Expression Language) that
 * Inngest configs use: `event.data.x == async.data.x`, `event.data.function_id
 * == 'app-fn'`, `&&`, `||`, `!`, comparisons, parentheses, string / number /
 * bool / null literals, dotted paths and `a["b"]` indexing. Anything else
 * throws an ExpressionError (callers treat that as "does not match").
 */
export class ExpressionError extends Error {
  override name = "ExpressionError";
}

type Token =
  | { t: "str"; v: string }
  | { t: "num"; v: number }
  | { t: "id"; v: string }
  | { t: "op"; v: string };

const tokenize = (src: string): Token[] => {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let s = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) j++;
        s += src[j];
        j++;
      }
      if (j >= src.length) throw new ExpressionError(`unterminated string in ${src}`);
      out.push({ t: "str", v: s });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? "") && (out.length === 0 || out.at(-1)!.t === "op"))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: "id", v: m[0] });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (["==", "!=", "<=", ">=", "&&", "||"].includes(two)) {
        out.push({ t: "op", v: two });
        i += 2;
      } else if ("<>!().[]".includes(c)) {
        out.push({ t: "op", v: c });
        i++;
      } else {
        throw new ExpressionError(`unexpected "${c}" in ${src}`);
      }
    }
  }
  return out;
};

type Vars = Record<string, unknown>;

const get = (obj: unknown, key: string | number): unknown =>
  obj !== null && typeof obj === "object" ? (obj as Record<string | number, unknown>)[key] : undefined;

const equal = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a === undefined || b === undefined) return a === null || b === null ? a == b : false;
  return typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b);
};

const compare = (op: string, left: unknown, right: unknown): boolean => {
  switch (op) {
    case "==":
      return equal(left, right);
    case "!=":
      return !equal(left, right);
    case "<":
      return (left as number) < (right as number);
    case "<=":
      return (left as number) <= (right as number);
    case ">":
      return (left as number) > (right as number);
    default:
      return (left as number) >= (right as number);
  }
};

/**
 * Evaluates `expr` with the given variables (e.g. `{ event, async }`). A
 * recursive-descent parser (or → and → comparison → primary) that evaluates
 * as it parses; the rules stay nested because they share one token cursor.
 */
export const evaluate = (expr: string, vars: Vars): unknown => {
  const toks = tokenize(expr);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === "op" && peek()!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExpressionError(`expected "${v}" in ${expr}`);
    p++;
  };

  const primary = (): unknown => {
    const tok = toks[p++];
    if (!tok) throw new ExpressionError(`unexpected end of ${expr}`);
    if (tok.t === "str" || tok.t === "num") return tok.v;
    if (tok.t === "op" && tok.v === "(") {
      const v = or();
      expect(")");
      return v;
    }
    if (tok.t === "op" && tok.v === "!") return !truthy(primary());
    if (tok.t !== "id") throw new ExpressionError(`unexpected "${tok.v}" in ${expr}`);
    if (tok.v === "true") return true;
    if (tok.v === "false") return false;
    if (tok.v === "null") return null;
    let v: unknown = vars[tok.v];
    for (;;) {
      if (isOp(".")) {
        p++;
        const id = toks[p++];
        if (id?.t !== "id") throw new ExpressionError(`expected a field name in ${expr}`);
        v = get(v, id.v);
      } else if (isOp("[")) {
        p++;
        const key = or();
        expect("]");
        v = get(v, key as string | number);
      } else {
        return v;
      }
    }
  };
  const comparison = (): unknown => {
    const left = primary();
    const tok = peek();
    if (tok?.t === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(tok.v)) {
      p++;
      return compare(tok.v, left, primary());
    }
    return left;
  };
  const and = (): unknown => {
    let v = comparison();
    while (isOp("&&")) {
      p++;
      const r = comparison();
      v = truthy(v) && truthy(r);
    }
    return v;
  };
  const or = (): unknown => {
    let v = and();
    while (isOp("||")) {
      p++;
      const r = and();
      v = truthy(v) || truthy(r);
    }
    return v;
  };
  const result = or();
  if (p !== toks.length) throw new ExpressionError(`unexpected trailing input in ${expr}`);
  return result;
};

const truthy = (v: unknown) => v === true;

/** True when `expr` evaluates to true; false when it is false or cannot be evaluated. */
export const matches = (expr: string | undefined | null, vars: Vars): boolean => {
  if (!expr) return true;
  try {
    return evaluate(expr, vars) === true;
  } catch {
    return false;
  }
};

/** Evaluates a key expression (`event.data.tenantId`) to a string, or null when it is missing. */
export const evaluateKey = (expr: string, vars: Vars): string | null => {
  try {
    const v = evaluate(expr, vars);
    return v === undefined || v === null ? null : typeof v === "string" ? v : JSON.stringify(v);
  } catch {
    return null;
  }
};
