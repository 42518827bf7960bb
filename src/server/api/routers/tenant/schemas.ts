import { z } from "zod";
import { ROLES } from "~/lib/roles";
import { ZTenantSlug } from "~/lib/slug";
import { MAX_DESCRIPTION, MAX_INDUSTRY } from "~/server/services/tenancy/tenants";

export const ZRole = z.enum(ROLES);
export const ZTenantStatus = z.enum(["ACTIVE", "SUSPENDED", "PENDING_DELETION", "DELETED"]);
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
  industry: z.string().nullable(),
  description: z.string().nullable(),
  createdAt: z.date(),
  memberCount: z.number().int(),
  role: ZRole,
});

export const ZRenameTenantInput = z.object({ name: ZTenantName });
export const ZRenameTenantOutput = z.object({ id: z.string(), slug: z.string(), name: z.string() });

/** "" clears a field; the limits keep the compiled system prompt short. */
const ZProfileText = (max: number) => z.string().trim().max(max).nullable().optional();
export const ZUpdateProfileInput = z.object({ industry: ZProfileText(MAX_INDUSTRY), description: ZProfileText(MAX_DESCRIPTION) });
export const ZUpdateProfileOutput = z.object({ id: z.string(), industry: z.string().nullable(), description: z.string().nullable() });
