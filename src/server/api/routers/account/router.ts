import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { deleteAccount } from "~/server/services/privacy/account-deletion";
import { getMe, setLocale, signOutEverywhere, signUp } from "~/server/services/users/users";
import { ZDeleteAccountInput, ZDeleteAccountOutput } from "../deletion/schemas";
import { ZMeOutput, ZSetLocaleInput, ZSetLocaleOutput, ZSignOutEverywhereOutput, ZSignUpInput, ZSignUpOutput } from "./schemas";

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure.input(ZSignUpInput).output(ZSignUpOutput).mutation(({ ctx, input }) => signUp({ ...input, appUrl: ctx.appUrl }, ctx.meta)),
  me: protectedProcedure.output(ZMeOutput).query(({ ctx }) => getMe(ctx.userCtx)),
  setLocale: protectedProcedure.input(ZSetLocaleInput).output(ZSetLocaleOutput).mutation(({ ctx, input }) => setLocale(ctx.userCtx, input.locale)),
  signOutEverywhere: protectedProcedure.output(ZSignOutEverywhereOutput).mutation(({ ctx }) => signOutEverywhere(ctx.userCtx)),
  // Issue 16: the user deletes their own account (services/privacy/account-deletion.ts); its schemas live with the deletion router's.
  deleteAccount: protectedProcedure.input(ZDeleteAccountInput).output(ZDeleteAccountOutput).mutation(({ ctx, input }) => deleteAccount(ctx.userCtx, input)),
});
