/** A next-intl message tree as flat dotted keys ("chat.send" → "Send"), for the message tests. */
export const flattenMessages = (tree: unknown, prefix = ""): Record<string, string> =>
  Object.entries(tree as Record<string, unknown>).reduce<Record<string, string>>((acc, [k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") Object.assign(acc, flattenMessages(v, key));
    else acc[key] = String(v);
    return acc;
  }, {});
