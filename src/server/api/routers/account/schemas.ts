import { z } from "zod";
import { DEFAULT_LOCALE, LOCALES } from "~/lib/locales";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/server/infra/password";

export const ZEmail = z.string().trim().toLowerCase().email().max(320);

export const ZSignUpInput = z.object({
  email: ZEmail,
  name: z.string().trim().min(1).max(120),
  password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
  locale: z.enum(LOCALES).default(DEFAULT_LOCALE),
});
export const ZSignUpOutput = z.object({ id: z.string(), email: z.string() });

export const ZMeOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  locale: z.string().nullable(),
  isPlatformAdmin: z.boolean(),
  activeSessions: z.number().int(),
});

export const ZSetLocaleInput = z.object({ locale: z.enum(LOCALES) });
export const ZSetLocaleOutput = z.object({ locale: z.enum(LOCALES) });
export const ZSignOutEverywhereOutput = z.object({ sessionsEnded: z.number().int() });
