import { NonRetriableError } from "inngest";
import { inngest } from "~/server/events/client";
import { deadLetterReplayed } from "~/server/events/catalog";
import { AppError } from "~/server/errors";
import { getReplayableEvent, markDeadLetterReplayed } from "~/server/services/dead-letters/dead-letters";

/**
 * Sends a dead-lettered run's original event again, once, under a NEW event id
 * (`replay-<dead letter id>`; the original id would be deduplicated by the
 * engine and start nothing).
 */
export const replayDeadLetter = inngest.createFunction(
  {
    id: "jobs-replay-dead-letter",
    name: "Replay dead letter",
    triggers: [deadLetterReplayed],
    idempotency: "event.data.deadLetterId",
  },
  async ({ event, step }) => {
    const original = await step.run("load-dead-letter", async () => {
      try {
        return await getReplayableEvent(event.data.deadLetterId);
      } catch (err) {
        if (err instanceof AppError) throw new NonRetriableError(err.reason, { cause: err });
        throw err;
      }
    });
    const claimed = await step.run("mark-replayed", () => markDeadLetterReplayed(event.data.deadLetterId, event.data.requestedBy));
    if (!claimed) return { replayed: false };
    const sent = await step.sendEvent("send-original-event", { id: original.id, name: original.name, data: original.data });
    return { replayed: true, eventIds: sent.ids };
  },
);
