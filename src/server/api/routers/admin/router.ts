import { createTRPCRouter, platformAdminProcedure } from "~/server/api/trpc";
import { listAllTenants, listAllUsers } from "~/server/services/admin/directory";
import { discardDeadLetter, getDeadLetter, listDeadLetters, replayDeadLetter } from "~/server/services/jobs/dead-letters";
import { fixDiagnostic, listFailingDiagnostics, runDiagnostic } from "~/server/services/jobs/diagnostics";
import {
  ZAdminTenantsOutput,
  ZAdminUsersOutput,
  ZDeadLetterInput,
  ZDeadLetterOutput,
  ZDeadLettersInput,
  ZDeadLettersOutput,
  ZDiagnosticsInput,
  ZDiagnosticsOutput,
  ZDirectoryInput,
  ZDiscardDeadLetterInput,
  ZDiscardDeadLetterOutput,
  ZFixDiagnosticInput,
  ZFixDiagnosticOutput,
  ZReplayDeadLetterOutput,
  ZRunDiagnosticInput,
  ZRunDiagnosticOutput,
} from "./schemas";

export const adminRouter = createTRPCRouter({
  tenants: platformAdminProcedure.input(ZDirectoryInput).output(ZAdminTenantsOutput).query(({ input }) => listAllTenants(input)),
  users: platformAdminProcedure.input(ZDirectoryInput).output(ZAdminUsersOutput).query(({ input }) => listAllUsers(input)),
  // background jobs
  deadLetters: platformAdminProcedure.input(ZDeadLettersInput).output(ZDeadLettersOutput).query(({ input }) => listDeadLetters(input)),
  deadLetter: platformAdminProcedure.input(ZDeadLetterInput).output(ZDeadLetterOutput).query(({ input }) => getDeadLetter(input.id)),
  replayDeadLetter: platformAdminProcedure
    .input(ZDeadLetterInput)
    .output(ZReplayDeadLetterOutput)
    .mutation(({ ctx, input }) => replayDeadLetter({ id: input.id, adminUserId: ctx.user.id, meta: ctx.meta })),
  discardDeadLetter: platformAdminProcedure
    .input(ZDiscardDeadLetterInput)
    .output(ZDiscardDeadLetterOutput)
    .mutation(({ ctx, input }) => discardDeadLetter({ ...input, adminUserId: ctx.user.id, meta: ctx.meta })),
  diagnostics: platformAdminProcedure.input(ZDiagnosticsInput).output(ZDiagnosticsOutput).query(({ input }) => listFailingDiagnostics(input)),
  runDiagnostic: platformAdminProcedure.input(ZRunDiagnosticInput).output(ZRunDiagnosticOutput).mutation(({ input }) => runDiagnostic(input)),
  fixDiagnostic: platformAdminProcedure.input(ZFixDiagnosticInput).output(ZFixDiagnosticOutput).mutation(({ input }) => fixDiagnostic(input)),
});
