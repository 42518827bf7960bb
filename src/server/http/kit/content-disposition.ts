/** ASCII stand-in for old clients; the real name goes in filename* (RFC 6266 / 8187). */
const asciiFallback = (name: string) => name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_") || "download";

/** `attachment; filename="…"; filename*=UTF-8''…` for a stored (already sanitised) file name. */
export const contentDispositionFor = (filename: string) => {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback(filename)}"; filename*=UTF-8''${encoded}`;
};
