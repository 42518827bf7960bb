import { Fragment } from "react";
import { WORD_PATTERN } from "~/lib/search";

/** `text` with the start of every word that begins with one of `words` in a <mark> (the server's matching rule). */
export const Highlight = ({ text, words }: { text: string; words: readonly string[] }) => {
  if (words.length === 0) return <>{text}</>;
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD_PATTERN)) {
    const lower = m[0].toLowerCase();
    const word = words.filter((w) => lower.startsWith(w)).sort((a, b) => b.length - a.length)[0];
    if (!word) continue;
    // Lower-casing can change a string's length (rarely): mark the whole word then.
    const length = lower.length === m[0].length ? word.length : m[0].length;
    parts.push(text.slice(last, m.index), <mark key={m.index} className="rounded-sm bg-warning-soft px-0 font-semibold text-fg">{text.slice(m.index, m.index + length)}</mark>);
    last = m.index + length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>{p}</Fragment>
      ))}
    </>
  );
};
