import { z } from "zod";

/*
 * Text Postgres (and every UTF-8 consumer after it) cannot store: the NUL
 * character (Postgres text refuses "\u0000" and the insert fails with a 500)
 * and lone UTF-16 surrogates (JSON may carry "\ud800", which has no UTF-8
 * encoding). Such input is refused at the boundary with a 400, before any
 * service or query sees it. Valid surrogate pairs (emoji) pass.
 */
const UNSAFE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const isSafeText = (s: string): boolean => !UNSAFE_TEXT.test(s);

export const UNSAFE_TEXT_MESSAGE = "Text must not contain NUL characters or unpaired surrogates";

/** Every string in `value` (object keys included, any depth): the path of the first unsafe one, or null. */
export const findUnsafeText = (value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null => {
  if (typeof value === "string") return isSafeText(value) ? null : path;
  if (depth > 64 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (!isSafeText(k)) return [...path, k];
    const found = findUnsafeText(v, [...path, k], depth + 1);
    if (found) return found;
  }
  return null;
};

/**
 * Any input, checked deeply: the shared guard the tRPC procedures and the JSON
 * route handlers run on the raw input before their own schema, so no string
 * field anywhere can be forgotten.
 */
export const ZSafeInput = z.unknown().superRefine((value, ctx) => {
  const path = findUnsafeText(value);
  if (path) ctx.addIssue({ code: "custom", path, message: UNSAFE_TEXT_MESSAGE, input: value });
});
