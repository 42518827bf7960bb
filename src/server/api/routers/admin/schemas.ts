import { z } from "zod";
import { ZTenantStatus } from "../tenant/schemas";

export const ZDirectoryInput = z.object({ query: z.string().trim().max(100).optional(), take: z.number().int().min(1).max(200).default(50) });
export const ZAdminTenantsOutput = z.array(
  z.object({ id: z.string(), slug: z.string(), name: z.string(), status: ZTenantStatus, plan: z.string(), createdAt: z.date(), memberCount: z.number().int() }),
);
export const ZAdminUsersOutput = z.array(
  z.object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    isPlatformAdmin: z.boolean(),
    disabledAt: z.date().nullable(),
    createdAt: z.date(),
    tenantCount: z.number().int(),
  }),
);
