import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { decideAccessReviewItem } from "~/server/services/access-reviews/decide-item";
import { completeAccessReview, getAccessReview, listAccessReviews, openAccessReview } from "~/server/services/access-reviews/reviews";
import { getAccessReviewStatus, setAccessReviewInterval } from "~/server/services/access-reviews/schedule";
import {
  ZCompleteOutput,
  ZDecideInput,
  ZDecideOutput,
  ZListOutput,
  ZOpenOutput,
  ZReviewIdInput,
  ZReviewOutput,
  ZSetIntervalInput,
  ZSetIntervalOutput,
  ZStatusOutput,
} from "./schemas";

/**
 * Periodic access reviews (security issue 13). Owners run them: open, decide,
 * complete, set the interval. Admins may read them: a review shows nothing an
 * admin cannot already list (members, invitations, masked provider keys), and
 * admins are the ones who manage invitations and keys between reviews.
 */
export const accessReviewRouter = createTRPCRouter({
  status: tenantProcedure("ADMIN").output(ZStatusOutput).query(({ ctx }) => getAccessReviewStatus(ctx.tenant)),
  list: tenantProcedure("ADMIN").output(ZListOutput).query(({ ctx }) => listAccessReviews(ctx.tenant)),
  get: tenantProcedure("ADMIN").input(ZReviewIdInput).output(ZReviewOutput).query(({ ctx, input }) => getAccessReview(ctx.tenant, input)),
  open: tenantProcedure("OWNER").output(ZOpenOutput).mutation(({ ctx }) => openAccessReview(ctx.tenant)),
  decide: tenantProcedure("OWNER").input(ZDecideInput).output(ZDecideOutput).mutation(({ ctx, input }) => decideAccessReviewItem(ctx.tenant, input)),
  complete: tenantProcedure("OWNER").input(ZReviewIdInput).output(ZCompleteOutput).mutation(({ ctx, input }) => completeAccessReview(ctx.tenant, input)),
  setInterval: tenantProcedure("OWNER").input(ZSetIntervalInput).output(ZSetIntervalOutput).mutation(({ ctx, input }) => setAccessReviewInterval(ctx.tenant, input)),
});
