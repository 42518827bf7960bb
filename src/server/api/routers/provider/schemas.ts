import { z } from "zod";
import { PROVIDERS, TEST_ERROR_REASONS, ZCreateCredentialInput } from "~/server/services/providers/credentials";

export { ZCreateCredentialInput };

export const ZCredentialId = z.object({ id: z.string().min(1).max(64) });

/** A credential as the UI sees it: masked, no key or ciphertext field at all. */
export const ZMaskedCredential = z.strictObject({
  id: z.string(),
  provider: z.enum(PROVIDERS),
  label: z.string(),
  baseUrl: z.string().nullable(),
  defaultModel: z.string().nullable(),
  last4: z.string(),
  createdAt: z.date(),
  lastTestedAt: z.date().nullable(),
  lastTestOk: z.boolean().nullable(),
});
export const ZListCredentialsOutput = z.array(ZMaskedCredential);

export const ZDeleteCredentialOutput = z.object({ id: z.string() });

export const ZTestCredentialOutput = z.strictObject({
  ok: z.boolean(),
  status: z.number().int().nullable(),
  models: z.array(z.string()).optional(),
  error: z.enum(TEST_ERROR_REASONS).optional(),
});
