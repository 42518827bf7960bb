import { accessReviewRouter } from "./routers/access-review/router";
import { accountRouter } from "./routers/account/router";
import { adminRouter } from "./routers/admin/router";
import { auditRouter } from "./routers/audit/router";
import { chatRouter } from "./routers/chat/router";
import { dataExportRouter } from "./routers/data-export/router";
import { deletionRouter } from "./routers/deletion/router";
import { invitationRouter } from "./routers/invitation/router";
import { keysRouter } from "./routers/keys/router";
import { knowledgeRouter } from "./routers/knowledge/router";
import { meetingRouter } from "./routers/meeting/router";
import { memberRouter } from "./routers/member/router";
import { onboardingRouter } from "./routers/onboarding/router";
import { overviewRouter } from "./routers/overview/router";
import { personaRouter } from "./routers/persona/router";
import { privacyRouter } from "./routers/privacy/router";
import { providerRouter } from "./routers/provider/router";
import { searchRouter } from "./routers/search/router";
import { supportRouter } from "./routers/support/router";
import { taskRouter } from "./routers/task/router";
import { tenantRouter } from "./routers/tenant/router";
import { usageRouter } from "./routers/usage/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** The only file that lists routers. Every procedure here must have an entry in the authorisation matrix. */
export const appRouter = createTRPCRouter({
  account: accountRouter,
  tenant: tenantRouter,
  member: memberRouter,
  invitation: invitationRouter,
  provider: providerRouter,
  persona: personaRouter,
  chat: chatRouter,
  knowledge: knowledgeRouter,
  meeting: meetingRouter,
  task: taskRouter,
  admin: adminRouter,
  support: supportRouter,
  audit: auditRouter,
  usage: usageRouter,
  accessReview: accessReviewRouter,
  keys: keysRouter,
  search: searchRouter,
  onboarding: onboardingRouter,
  overview: overviewRouter,
  dataExport: dataExportRouter,
  privacy: privacyRouter,
  deletion: deletionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
