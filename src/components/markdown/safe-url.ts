const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/**
 * The URL when it is absolute http(s) or mailto, else null: links in model
 * output may not run script (javascript:), embed data (data:), or point inside
 * the app (relative URLs).
 */
export const safeUrl = (raw: string): string | null => {
  try {
    const url = new URL(raw.trim());
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
};
