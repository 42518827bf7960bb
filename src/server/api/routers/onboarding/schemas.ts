import { z } from "zod";
import { ONBOARDING_STEP_KEYS } from "~/lib/onboarding-steps";

export const ZOnboardingChecklist = z.object({
  steps: z.array(z.object({ key: z.enum(ONBOARDING_STEP_KEYS), done: z.boolean() })),
  doneCount: z.number().int(),
  total: z.number().int(),
  complete: z.boolean(),
  dismissed: z.boolean(),
  canManage: z.boolean(),
});

export const ZOnboardingChange = z.object({ changed: z.boolean() });
