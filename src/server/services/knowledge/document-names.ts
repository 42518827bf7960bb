// Display-safe document names: what an uploaded file is called in the UI,
// audit events and download headers, whatever bytes the client sent.

export const MAX_FILENAME_CHARS = 200;
export const MAX_TITLE_CHARS = 200;

// C0/C1 controls, DEL, and the Unicode format/separator characters that can
// reorder or hide text in a file name (bidi overrides, zero-width, BOM).
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const truncate = (s: string, max: number) => {
  const chars = Array.from(s); // by code point: never split a surrogate pair
  return chars.length <= max ? s : chars.slice(0, max).join("");
};

/**
 * A display-safe file name: the last path component (either separator), no
 * control or bidi characters, trimmed, at most 200 characters (keeping the
 * extension when cutting). Empty → "untitled".
 */
export const sanitizeFilename = (raw: string): string => {
  const base = (raw.normalize("NFC").split(/[\\/]/).pop() ?? "").replace(UNSAFE_CHARS, "").replace(/\s+/g, " ").trim();
  const name = base === "." || base === ".." ? "" : base;
  if (name.length === 0) return "untitled";
  if (Array.from(name).length <= MAX_FILENAME_CHARS) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  return truncate(name.slice(0, name.length - ext.length), MAX_FILENAME_CHARS - ext.length).trimEnd() + ext;
};

export const sanitizeTitle = (raw: string | null | undefined): string | null => {
  if (raw === null || raw === undefined) return null;
  const t = truncate(raw.normalize("NFC").replace(UNSAFE_CHARS, "").replace(/\s+/g, " ").trim(), MAX_TITLE_CHARS).trim();
  return t.length > 0 ? t : null;
};

/** The title when none is given: the file name without its extension. */
export const titleFromFilename = (filename: string) => {
  const dot = filename.lastIndexOf(".");
  return (dot > 0 ? filename.slice(0, dot) : filename).trim() || filename;
};
