import { createTRPCRouter, platformAdminProcedure } from "~/server/api/trpc";
import { listAllTenants, listAllUsers } from "~/server/services/admin/directory";
import { ZAdminTenantsOutput, ZAdminUsersOutput, ZDirectoryInput } from "./schemas";

export const adminRouter = createTRPCRouter({
  tenants: platformAdminProcedure.input(ZDirectoryInput).output(ZAdminTenantsOutput).query(({ input }) => listAllTenants(input)),
  users: platformAdminProcedure.input(ZDirectoryInput).output(ZAdminUsersOutput).query(({ input }) => listAllUsers(input)),
});
