import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { getMe, setLocale, signOutEverywhere, signUp } from "~/server/services/users/users";
import { ZMeOutput, ZSetLocaleInput, ZSetLocaleOutput, ZSignOutEverywhereOutput, ZSignUpInput, ZSignUpOutput } from "./schemas";

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure.input(ZSignUpInput).output(ZSignUpOutput).mutation(({ ctx, input }) => signUp({ ...input, appUrl: ctx.appUrl }, ctx.meta)),
  me: protectedProcedure.output(ZMeOutput).query(({ ctx }) => getMe(ctx.userCtx)),
  setLocale: protectedProcedure.input(ZSetLocaleInput).output(ZSetLocaleOutput).mutation(({ ctx, input }) => setLocale(ctx.userCtx, input.locale)),
  signOutEverywhere: protectedProcedure.output(ZSignOutEverywhereOutput).mutation(({ ctx }) => signOutEverywhere(ctx.userCtx)),
});
