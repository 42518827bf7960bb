import { z } from "zod";
import { PERSONA_KEYS } from "~/server/services/personas/templates";
import { ZResetPersonaInput, ZUpdatePersonaInput } from "~/server/services/personas/tenant-personas";
import { PROVIDERS } from "~/server/services/providers/credentials";

export { ZResetPersonaInput, ZUpdatePersonaInput };

const ZModelSummary = z.strictObject({
  provider: z.enum(["offline", ...PROVIDERS]),
  model: z.string().nullable(),
  offline: z.boolean(),
  credentialId: z.string().nullable(),
  credentialLabel: z.string().nullable(),
});

export const ZTenantPersona = z.strictObject({
  key: z.enum(PERSONA_KEYS),
  builtInName: z.string(),
  name: z.string(),
  mandate: z.string(),
  voice: z.string(),
  instructions: z.string(),
  templateInstructions: z.string(),
  enabled: z.boolean(),
  customised: z.boolean(),
  credentialId: z.string().nullable(),
  model: z.string().nullable(),
  temperature: z.number().nullable(),
  version: z.number().int(),
  effectiveModel: ZModelSummary,
});

/** What the persona form may offer as a provider: no key material of any kind. */
export const ZPersonaCredentialOption = z.strictObject({
  id: z.string(),
  label: z.string(),
  provider: z.enum(PROVIDERS),
  defaultModel: z.string().nullable(),
});

export const ZListPersonasOutput = z.strictObject({
  personas: z.array(ZTenantPersona),
  credentials: z.array(ZPersonaCredentialOption),
});
