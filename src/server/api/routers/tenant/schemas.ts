import { z } from "zod";
import { ROLES } from "~/lib/roles";
import { ZTenantSlug } from "~/lib/slug";

export const ZRole = z.enum(ROLES);
export const ZTenantStatus = z.enum(["ACTIVE", "SUSPENDED"]);
export const ZTenantName = z.string().trim().min(2).max(80);

export const ZTenantSummary = z.object({ id: z.string(), slug: z.string(), name: z.string(), role: ZRole, status: ZTenantStatus });
export const ZListTenantsOutput = z.array(ZTenantSummary);

export const ZCreateTenantInput = z.object({ name: ZTenantName, slug: ZTenantSlug.optional() });

export const ZGetTenantOutput = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: ZTenantStatus,
  plan: z.string(),
  createdAt: z.date(),
  memberCount: z.number().int(),
  role: ZRole,
});

export const ZRenameTenantInput = z.object({ name: ZTenantName });
export const ZRenameTenantOutput = z.object({ id: z.string(), slug: z.string(), name: z.string() });
