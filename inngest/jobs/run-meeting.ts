import { guardedStep } from "./tenant-guard";
import { meetingCancelRequested, meetingRunRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { closeMeetingItem } from "~/server/services/meetings/close-item";
import { runMeetingTurn } from "~/server/services/meetings/run";
import { finishMeetingRun, markMeetingFailed, meetingFailureReason, startMeetingRun, type RunTarget } from "~/server/services/meetings/run-state";

/**
 * A board meeting, one step per turn:
 *   start                       queued → running (a stale runVersion or a
 *                               cancelled meeting: nothing to do);
 *   turn-i<item>-r<round>-<key> for each agenda item, each round, each persona
 *                               in speaking order: one model call, stored as a
 *                               MeetingTurn (skipped when already stored, so a
 *                               retry or a resume never duplicates a turn);
 *   close-i<item>               the chair's decision, positions, dissent and
 *                               action items for the item;
 *   finish                      completed.
 * A step that finds the meeting no longer running at this run's version (it
 * was cancelled, or resumed as a newer run) ends the run quietly.
 *
 * Failures: a step is retried (2 retries); a problem a retry cannot fix
 * (persona disabled, model missing, a rejected provider key: isPermanent in
 * services/assist/failures.ts) fails at once. onFailure then
 * marks the meeting failed with the reason (the gateway's LlmError reason, else
 * meetingFailed); every completed turn is kept and "resume" continues from it.
 * The step error's message is the reason, so it survives serialisation.
 *
 * Concurrency: 2 steps per tenant at a time (the local executor's fair share
 * works on this first key), so one tenant's meetings cannot starve another's.
 * cancelOn: meeting/cancel.requested for the same meeting.
 */
export const runMeeting = inngest.createFunction(
  {
    id: "run-meeting",
    name: "Run board meeting",
    triggers: [meetingRunRequested],
    retries: 2,
    concurrency: [{ key: "event.data.tenantId", limit: 2 }],
    cancelOn: [{ event: meetingCancelRequested, match: "data.meetingId" }],
    onFailure: async ({ event, error, step }) => {
      const { tenantId, meetingId, runVersion } = event.data.event.data;
      await step.run("mark-failed", () => markMeetingFailed({ tenantId, meetingId, runVersion }, meetingFailureReason(error.message)));
    },
  },
  async ({ event, step }) => {
    const target: RunTarget = { tenantId: event.data.tenantId, meetingId: event.data.meetingId, runVersion: event.data.runVersion };

    // The step's error carries the stable reason as its message (see onFailure).
    const guarded = <T>(fn: () => Promise<T>): Promise<T> => guardedStep(target.tenantId, fn);

    const plan = await step.run("start", () => guarded(() => startMeetingRun(target)));
    if (plan.status === "stale") return { status: "stale" as const };

    let turns = 0;
    for (let item = 0; item < plan.itemCount; item++) {
      for (let round = 1; round <= plan.rounds; round++) {
        for (const personaKey of plan.personaKeys) {
          const res = await step.run(`turn-i${item}-r${round}-${personaKey}`, () => guarded(() => runMeetingTurn(target, { itemIndex: item, round, personaKey })));
          if (res.status === "stale") return { status: "stale" as const, turns };
          if (res.status === "stored") turns++;
        }
      }
      const closed = await step.run(`close-i${item}`, () => guarded(() => closeMeetingItem(target, item)));
      if (closed.status === "stale") return { status: "stale" as const, turns };
    }
    const done = await step.run("finish", () => finishMeetingRun(target));
    return { status: done.status, turns };
  },
);
