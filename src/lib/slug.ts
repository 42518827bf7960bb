import { z } from "zod";

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
// Slugs that would collide with top-level routes or confuse users.
const RESERVED = new Set(["admin", "api", "new", "settings", "t", "app", "www", "dev", "auth", "invite"]);

export const ZTenantSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(48)
  .regex(SLUG_PATTERN, "lowercase letters, digits and single hyphens")
  .refine((s) => !RESERVED.has(s), "this name is reserved");

/** "Acme Corp!" -> "acme-corp" (may still need a suffix to be unique). */
export const slugify = (name: string): string =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "workspace";
