import { z } from "zod";
import { DEFAULT_LOCALE, LOCALES } from "~/lib/locales";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/server/infra/password";

export const ZEmail = z.string().trim().toLowerCase().email().max(320);

export const ZSignUpInput = z.object({
  email: ZEmail,
  name: z.string().trim().min(1).max(120),
  password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
  locale: z.enum(LOCALES).default(DEFAULT_LOCALE),
  // The "I agree to the Terms of Service and the Privacy Policy" box (issue 16). Must be true; the
  // refusal names its reason so the form can say why (trpc.ts errorFormatter reads params.reason).
  acceptLegal: z.boolean().refine((v) => v, { error: "The Terms of Service and the Privacy Policy must be accepted", params: { reason: "legalNotAccepted" } }),
});
export const ZSignUpOutput = z.object({ id: z.string(), email: z.string() });

export const ZMeOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  locale: z.string().nullable(),
  isPlatformAdmin: z.boolean(),
  activeSessions: z.number().int(),
  legalVersionAccepted: z.string().nullable(),
  legalAcceptedAt: z.date().nullable(),
});

export const ZSetLocaleInput = z.object({ locale: z.enum(LOCALES) });
export const ZSetLocaleOutput = z.object({ locale: z.enum(LOCALES) });
export const ZSignOutEverywhereOutput = z.object({ sessionsEnded: z.number().int() });
