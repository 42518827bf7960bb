import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { createCredential, deleteCredential, listCredentials, testCredential } from "~/server/services/providers/credentials";
import { ZCreateCredentialInput, ZCredentialId, ZDeleteCredentialOutput, ZListCredentialsOutput, ZMaskedCredential, ZTestCredentialOutput } from "./schemas";

/** Tenant LLM provider credentials (BYOK). Admins only; outputs never carry the key. */
export const providerRouter = createTRPCRouter({
  list: tenantProcedure("ADMIN").output(ZListCredentialsOutput).query(({ ctx }) => listCredentials(ctx.tenant)),
  create: tenantProcedure("ADMIN").input(ZCreateCredentialInput).output(ZMaskedCredential).mutation(({ ctx, input }) => createCredential(ctx.tenant, input)),
  delete: tenantProcedure("ADMIN").input(ZCredentialId).output(ZDeleteCredentialOutput).mutation(({ ctx, input }) => deleteCredential(ctx.tenant, input)),
  test: tenantProcedure("ADMIN").input(ZCredentialId).output(ZTestCredentialOutput).mutation(({ ctx, input }) => testCredential(ctx.tenant, input)),
});
