import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { cancelMeeting, createMeeting, getMeeting, listMeetings, resumeMeeting } from "~/server/services/meetings/meetings";
import { meetingMinutes } from "~/server/services/meetings/minutes";
import { ZCreateMeetingInput, ZCreateMeetingOutput, ZListMeetingsOutput, ZMeetingDetail, ZMeetingId, ZMeetingStatusOutput, ZMinutesOutput } from "./schemas";

/**
 * Board meetings. Viewers read meetings and their minutes; members create,
 * cancel and resume them (the run itself is inngest/jobs/run-meeting.ts).
 */
export const meetingRouter = createTRPCRouter({
  create: tenantProcedure("MEMBER").input(ZCreateMeetingInput).output(ZCreateMeetingOutput).mutation(({ ctx, input }) => createMeeting(ctx.tenant, input)),
  list: tenantProcedure("VIEWER").output(ZListMeetingsOutput).query(({ ctx }) => listMeetings(ctx.tenant)),
  get: tenantProcedure("VIEWER").input(ZMeetingId).output(ZMeetingDetail).query(({ ctx, input }) => getMeeting(ctx.tenant, input)),
  cancel: tenantProcedure("MEMBER").input(ZMeetingId).output(ZMeetingStatusOutput).mutation(({ ctx, input }) => cancelMeeting(ctx.tenant, input)),
  resume: tenantProcedure("MEMBER").input(ZMeetingId).output(ZMeetingStatusOutput).mutation(({ ctx, input }) => resumeMeeting(ctx.tenant, input)),
  minutes: tenantProcedure("VIEWER").input(ZMeetingId).output(ZMinutesOutput).query(({ ctx, input }) => meetingMinutes(ctx.tenant, input)),
});
