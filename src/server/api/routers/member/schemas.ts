import { z } from "zod";
import { ZRole } from "../tenant/schemas";

export const ZMember = z.object({
  id: z.string(),
  role: ZRole,
  joinedAt: z.date(),
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  isSelf: z.boolean(),
});
export const ZListMembersOutput = z.array(ZMember);
export const ZChangeRoleInput = z.object({ membershipId: z.string().min(1).max(64), role: ZRole });
export const ZChangeRoleOutput = z.object({ id: z.string(), role: ZRole });
export const ZRemoveMemberInput = z.object({ membershipId: z.string().min(1).max(64) });
export const ZRemoveMemberOutput = z.object({ id: z.string() });
export const ZLeaveOutput = z.object({ left: z.literal(true) });
