// Pseudo-localisation for the development-only locale en-XA (docs/i18n.md).
// Every English message becomes "[Ŝîĝñ îñ ~~~~]": accented letters show text that
// skipped next-intl (it stays plain English), the ~35% padding shows layouts that
// cannot take a longer language, and the brackets show truncation (a missing "]").
//
// Only literal text changes. ICU syntax is kept byte for byte: {arguments},
// {n, number}/{d, date, short} styles, plural/select keywords and their `#`,
// <tags> for t.rich, and '…' quoted ICU escapes. The walker below knows just
// enough ICU for that; a message it cannot follow is passed through unchanged
// rather than broken (the unit test formats every pseudo message).

const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c, i) => [c, [..."àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻḾÑÖÞǪŔŠŢÛṼŴẊÝŽ"][i]!]),
);
const PAD_RATIO = 0.35;
const COMPLEX_ARGS = new Set(["plural", "select", "selectordinal"]);

type Cursor = { s: string; i: number };

// An ICU apostrophe starts a quoted literal only before a syntax character; "''" is one quote.
const readQuoted = (c: Cursor): string => {
  const start = c.i;
  const next = c.s[c.i + 1];
  if (next === "'") {
    c.i += 2;
    return "''";
  }
  if (next === undefined || !"{}#<|".includes(next)) {
    c.i += 1;
    return "'";
  }
  const end = c.s.indexOf("'", c.i + 2);
  c.i = end === -1 ? c.s.length : end + 1;
  return c.s.slice(start, c.i);
};

// A simple or styled argument ({name}, {n, number}, {d, date, short}) is copied as is.
const readBalanced = (c: Cursor): string => {
  const start = c.i;
  let depth = 0;
  for (; c.i < c.s.length; c.i++) {
    if (c.s[c.i] === "{") depth++;
    else if (c.s[c.i] === "}" && --depth === 0) break;
  }
  c.i++;
  return c.s.slice(start, c.i);
};

const readArgument = (c: Cursor): string => {
  const head = /^\{\s*[\w-]+\s*,\s*(\w+)\s*,/.exec(c.s.slice(c.i));
  if (!head || !COMPLEX_ARGS.has(head[1]!)) return readBalanced(c);
  let out = head[0];
  c.i += head[0].length;
  // Options: `selector {message}` pairs (and an optional `offset:n`) up to the closing brace.
  while (c.i < c.s.length && c.s[c.i] !== "}") {
    const selector = /^\s*(?:offset:\s*\d+\s*)?[^\s{}]+\s*/.exec(c.s.slice(c.i));
    if (!selector || c.s[c.i + selector[0].length] !== "{") throw new Error("unexpected ICU option");
    out += `${selector[0]}{`;
    c.i += selector[0].length + 1;
    out += readText(c, head[1] !== "select");
    out += "}";
    c.i++;
    const gap = /^\s*/.exec(c.s.slice(c.i))![0];
    out += gap;
    c.i += gap.length;
  }
  c.i++;
  return `${out}}`;
};

// Literal text up to the end of the message or the `}` closing the current plural/select option.
const readText = (c: Cursor, inPlural: boolean): string => {
  let out = "";
  while (c.i < c.s.length) {
    const ch = c.s[c.i]!;
    if (ch === "}") return out;
    if (ch === "'") out += readQuoted(c);
    else if (ch === "{") out += readArgument(c);
    else if (ch === "<") {
      const end = c.s.indexOf(">", c.i);
      if (end === -1) throw new Error("unclosed tag");
      out += c.s.slice(c.i, end + 1);
      c.i = end + 1;
    } else {
      out += ch === "#" && inPlural ? ch : (ACCENTED[ch] ?? ch);
      c.i++;
    }
  }
  return out;
};

/** One message in pseudo form: accented, padded ~35% and bracketed, ICU syntax untouched. */
export const pseudoLocalise = (message: string): string => {
  try {
    const c = { s: message, i: 0 };
    const body = readText(c, false);
    if (c.i < message.length) return message;
    // Length without arguments and tags (innermost braces first, so plural/select bodies count as arguments).
    let visible = message.replace(/<[^>]*>/g, "");
    for (let prev = ""; prev !== visible; ) [prev, visible] = [visible, visible.replace(/\{[^{}]*\}/g, "")];
    return `[${body} ${"~".repeat(Math.max(1, Math.ceil(visible.length * PAD_RATIO)))}]`;
  } catch {
    return message;
  }
};

type MessageTree = { [key: string]: string | MessageTree };

/** A whole message catalogue in pseudo form, same shape and keys. */
export const pseudoLocaliseMessages = <T extends MessageTree>(messages: T): T =>
  Object.fromEntries(
    Object.entries(messages).map(([k, v]) => [k, typeof v === "string" ? pseudoLocalise(v) : pseudoLocaliseMessages(v)]),
  ) as T;
