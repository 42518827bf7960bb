import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { env } from "~/env";

/*
 * The download link of a ready export: /api/t/<slug>/exports/<id>/download?expires=<unix s>&sig=<hex>,
 * where sig = HMAC-SHA256(key, "<exportId>.<tenantId>.<expires>"). The key is derived from
 * AUTH_SECRET with HKDF for this one purpose, so a leaked link signature says nothing about session
 * signing and rotating AUTH_SECRET invalidates every link. The tenant is in the MAC: a link cannot
 * be replayed under another workspace's URL. node:crypto is enough for one HMAC; jose would add
 * a token format nobody else reads.
 */

/** How long an issued link stays valid (it is also never valid past the archive's expiresAt). */
export const EXPORT_LINK_TTL_SECONDS = 15 * 60;

let derived: Buffer | undefined;
const linkKey = () => (derived ??= Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "ocsuite", "data-export-link v1", 32)));

const macOf = (exportId: string, tenantId: string, expires: number) => createHmac("sha256", linkKey()).update(`${exportId}.${tenantId}.${expires}`).digest();

export const signExportLink = (exportId: string, tenantId: string, expires: number): string => macOf(exportId, tenantId, expires).toString("hex");

export type LinkCheck = "ok" | "invalid" | "expired";

/** Checks a link's signature (constant time) and then its expiry. */
export const checkExportLink = (input: { exportId: string; tenantId: string; expires: string | null; sig: string | null }, now = Date.now()): LinkCheck => {
  if (!input.expires || !/^\d{1,12}$/.test(input.expires) || !input.sig || !/^[0-9a-f]{64}$/.test(input.sig)) return "invalid";
  const expires = Number(input.expires);
  const expected = macOf(input.exportId, input.tenantId, expires);
  if (!timingSafeEqual(expected, Buffer.from(input.sig, "hex"))) return "invalid";
  return expires * 1000 < now ? "expired" : "ok";
};
